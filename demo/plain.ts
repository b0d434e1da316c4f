/** The plain-HTML page: the markup does the work; this only logs events and shows the form data. */
import { languagePicker, logEvents, pageText, storePicker } from './shared.js';

languagePicker(document.querySelector<HTMLSelectElement>('#lang')!);
void storePicker(document.querySelector<HTMLSelectElement>('#store')!);
logEvents(document, document.querySelector<HTMLElement>('#log')!);

const form = document.querySelector<HTMLFormElement>('#form')!;
const output = document.querySelector<HTMLOutputElement>('#form-output')!;
form.addEventListener('submit', (e) => {
  // Runs only when the form is valid: every upload finished (the element says so itself).
  e.preventDefault();
  const keys = new FormData(form).getAll('files').map(String);
  output.textContent = keys.length ? `files=\n${keys.join('\n')}` : pageText('noFiles');
});
