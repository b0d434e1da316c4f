/**
 * Protocol limits every store shares, as named constants (each dialect's own, like its part
 * floor, live in its folder).
 * Sources: Alibaba OSS docs and alibabacloud-oss-go-sdk-v2 `oss/defaults.go`;
 * AWS S3 "multipart upload limits"; Huawei OBS API reference.
 */

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;

/** Largest single part, and largest single PutObject. */
export const MAX_PART_SIZE = 5 * GiB;
/** Largest object a single PutObject may create. */
export const MAX_PUT_OBJECT_SIZE = 5 * GiB;
/** Part numbers run from 1 to this. */
export const MAX_PART_NUMBER = 10_000;
/** Default and maximum page size of ListParts and ListMultipartUploads. */
export const MAX_LIST_PAGE = 1000;
/** Longest object key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1023;
/** How far a request's date may be from the server's clock (OSS, OBS: ±15 min). */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
