/**
 * The playground's script, as the browser runs it: plain DOM, no dependencies, no build step. It is
 * inlined into the page, whose Content-Security-Policy admits exactly this text by its SHA-256, so
 * it is a string rather than a module. It contains no backtick and no `${`, so `String.raw` keeps it
 * byte for byte.
 *
 * What it does: loads `GET /v1/models` with the pasted key, builds the form from the chosen model's
 * capabilities, creates the job, follows `GET /v1/jobs/{id}/events` (read with fetch, because
 * EventSource cannot send the Authorization header) and plays the video. Every error is shown as the
 * error envelope's message and code.
 */
export const PLAYGROUND_SCRIPT = String.raw`
'use strict';
// The key lives in this tab only (sessionStorage is per tab and cleared when it closes).
const KEY_STORAGE = 'vidgate.playground.key';
const TERMINAL = ['completed', 'failed', 'cancelled'];

const byId = (id) => document.getElementById(id);
const keyForm = byId('key-form');
const keyInput = byId('key');
const jobForm = byId('job-form');
const modelSelect = byId('model');
const modelNote = byId('model-note');
const promptInput = byId('prompt');
const modelFields = byId('model-fields');
const submitButton = byId('submit');
const alertBox = byId('alert');
const jobSection = byId('job');
const progressBar = byId('progress');
const statusText = byId('status');
const warningList = byId('warnings');
const video = byId('video');
const maxImageBytes = Number(jobForm.dataset.maxImageBytes);
const imageTypes = jobForm.dataset.imageTypes;

let models = [];
let following; // the AbortController of the event stream being read

function showError(error) {
  alertBox.textContent = error.message + (error.code ? ' (' + error.code + ')' : '');
  alertBox.hidden = false;
}

function clearError() {
  alertBox.textContent = '';
  alertBox.hidden = true;
}

function ignoreAbort(error) {
  if (error.name !== 'AbortError') showError(error);
}

/** A gateway call with the key; a non-2xx answer throws its error envelope's error. */
async function call(path, init = {}) {
  const headers = { authorization: 'Bearer ' + keyInput.value.trim(), ...init.headers };
  const response = await fetch(path, { ...init, headers });
  if (response.ok) return response;
  const body = await response.json().catch(() => undefined);
  throw body && body.error && body.error.message ? body.error : new Error('The gateway answered HTTP ' + response.status + '.');
}

// ---- The key and the models ----

async function loadModels() {
  clearError();
  try {
    models = (await (await call('/v1/models')).json()).data;
  } catch (error) {
    sessionStorage.removeItem(KEY_STORAGE);
    jobForm.hidden = true;
    throw error;
  }
  sessionStorage.setItem(KEY_STORAGE, keyInput.value.trim());
  const chosen = modelSelect.value;
  modelSelect.replaceChildren(modelGroup('Aliases', 'alias'), modelGroup('Models', 'direct'));
  if (models.some((model) => model.id === chosen)) modelSelect.value = chosen;
  jobForm.hidden = false;
  showModelFields();
}

function modelGroup(label, type) {
  const group = document.createElement('optgroup');
  group.label = label;
  for (const model of models.filter((candidate) => candidate.type === type)) {
    const option = new Option(model.type === 'direct' ? model.id + ' (' + model.title + ')' : model.id, model.id);
    option.disabled = !model.available;
    group.append(option);
  }
  return group;
}

/** The direct model whose capabilities the form follows: an alias is served by its first target that can take the job. */
function servingModel(model) {
  if (model.type === 'direct') return model;
  const targets = model.targets.filter((target) => target.available).concat(model.targets);
  return targets.map((target) => models.find((candidate) => candidate.id === target.model)).find(Boolean);
}

// ---- The form, from the model's capabilities ----

function showModelFields() {
  const model = models.find((candidate) => candidate.id === modelSelect.value);
  const served = model && servingModel(model);
  modelFields.replaceChildren(...(served ? fieldsFor(served.capabilities) : []));
  modelNote.textContent = model && served && model.type === 'alias' ? model.id + ' is an alias; the form offers what its first available target, ' + served.id + ', supports.' : '';
  const maxLength = served && served.capabilities.prompt.max_length;
  if (maxLength) promptInput.maxLength = maxLength;
  else promptInput.removeAttribute('maxlength');
}

function fieldsFor(capabilities) {
  const defaults = capabilities.defaults;
  return [
    capabilities.duration && durationField(capabilities.duration, defaults.duration),
    capabilities.aspect_ratios && selectField('aspect_ratio', 'Aspect ratio', capabilities.aspect_ratios, defaults.aspect_ratio),
    capabilities.resolutions && selectField('resolution', 'Resolution', capabilities.resolutions, defaults.resolution),
    capabilities.modes && selectField('mode', 'Mode', capabilities.modes, defaults.mode),
    capabilities.start_image && imageField('start_image', 'Start image', capabilities.start_image === 'required'),
    capabilities.end_image && imageField('end_image', 'End image', false),
    capabilities.generate_audio && checkboxField('generate_audio', 'Generate audio', defaults.generate_audio === true),
  ].filter(Boolean);
}

function field(name, labelText, control, hint) {
  const wrapper = document.createElement('div');
  wrapper.className = 'field';
  const label = document.createElement('label');
  label.htmlFor = control.id = control.name = name;
  label.textContent = labelText;
  wrapper.append(label, control);
  if (hint) {
    const note = document.createElement('small');
    note.id = name + '-hint';
    note.textContent = hint;
    control.setAttribute('aria-describedby', note.id);
    wrapper.append(note);
  }
  return wrapper;
}

function selectField(name, label, values, chosen) {
  const select = document.createElement('select');
  // Without a documented default, the first choice sends nothing and lets the provider decide.
  if (chosen === undefined) select.append(new Option('(model default)', ''));
  for (const value of values) select.append(new Option(value === chosen ? value + ' (default)' : String(value), String(value), false, value === chosen));
  return field(name, label, withDefault(select, chosen));
}

/**
 * Marks the model's default value: a field left at it is not sent, and the gateway applies the same
 * default. For an alias that keeps its other targets in play (a target that lacks a field, say
 * 'mode', is skipped when the request sets it).
 */
function withDefault(control, value) {
  if (value !== undefined) control.dataset.default = String(value);
  return control;
}

function durationField(rule, chosen) {
  const label = 'Duration (seconds)';
  if (rule.kind === 'values') return selectField('duration', label, rule.values, chosen);
  const input = document.createElement('input');
  input.type = 'number';
  input.step = 'any';
  const frames = rule.kind === 'frames';
  const min = frames ? rule.min_frames / rule.fps : rule.min;
  const max = frames ? rule.max_frames / rule.fps : rule.max;
  if (min !== undefined) input.min = String(min);
  if (max !== undefined) input.max = String(max);
  if (chosen !== undefined) input.value = String(chosen);
  withDefault(input, chosen);
  const bounds = describeBounds(min, max);
  return field('duration', label, input, frames ? bounds + ', rounded to whole frames (' + rule.step + 'n+' + rule.offset + ' at ' + rule.fps + ' fps)' : bounds);
}

function describeBounds(min, max) {
  if (min === undefined && max === undefined) return 'Any length in seconds';
  if (min === undefined) return 'Up to ' + max + ' seconds';
  if (max === undefined) return 'At least ' + min + ' seconds';
  return min + ' to ' + max + ' seconds';
}

function imageField(name, label, required) {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = imageTypes;
  input.required = required;
  const limit = Math.round((maxImageBytes / 1048576) * 10) / 10 + ' MiB';
  return field(name, label + (required ? ' (required)' : ''), input, 'An image of at most ' + limit + ', sent inline as a data: URI.');
}

function checkboxField(name, label, checked) {
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.checked = checked;
  return field(name, label, withDefault(input, checked));
}

// ---- Creating the job ----

async function requestBody() {
  const body = { model: modelSelect.value, prompt: promptInput.value };
  for (const control of modelFields.querySelectorAll('[name]')) {
    const value = await valueOf(control);
    if (value !== undefined) body[control.name] = value;
  }
  return body;
}

async function valueOf(control) {
  if (control.type === 'file') return control.files.length > 0 ? dataUri(control.files[0], control.name) : undefined;
  const value = control.type === 'checkbox' ? control.checked : control.value;
  if (value === '' || String(value) === control.dataset.default) return undefined;
  return control.name === 'duration' ? Number(value) : value;
}

function dataUri(file, name) {
  if (file.size > maxImageBytes) {
    return Promise.reject({ code: 'invalid_image', message: name + ': ' + file.name + ' is ' + file.size + ' bytes; the gateway takes images of at most ' + maxImageBytes + ' bytes.' });
  }
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

async function createJob() {
  clearError();
  if (following) following.abort();
  video.hidden = true;
  video.removeAttribute('src');
  const body = JSON.stringify(await requestBody());
  const job = await (await call('/v1/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json();
  showJob(job);
  if (!TERMINAL.includes(job.status)) follow(job.id).catch(ignoreAbort);
}

// ---- Following the job ----

/** Reads the job's event stream until the job is terminal; a stream that ends early (the instance went away) is opened again. */
async function follow(id) {
  const controller = new AbortController();
  following = controller;
  for (;;) {
    const response = await call('/v1/jobs/' + encodeURIComponent(id) + '/events', { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    let last;
    for await (const event of serverSentEvents(response.body)) {
      if (event.type !== 'job') continue;
      last = JSON.parse(event.data);
      showJob(last);
    }
    if (last && TERMINAL.includes(last.status)) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The events of a text/event-stream body: "field: value" lines, a blank line ending each event. */
async function* serverSentEvents(body) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  let type = '';
  let data = [];
  for (;;) {
    const { value: chunk, done } = await reader.read();
    if (done) return;
    const lines = (pending + chunk).split('\n');
    pending = lines.pop();
    for (const rawLine of lines) {
      const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
      if (line === '') {
        if (data.length > 0) yield { type: type || 'message', data: data.join('\n') };
        type = '';
        data = [];
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const name = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (name === 'event') type = value;
      else if (name === 'data') data.push(value);
    }
  }
}

function showJob(job) {
  jobSection.hidden = false;
  // No figure: still running with no percentage from the provider (indeterminate), or over without one.
  if (job.progress !== null) progressBar.value = job.progress;
  else if (job.status === 'in_progress') progressBar.removeAttribute('value');
  else progressBar.value = 0;
  statusText.textContent = 'Job ' + job.id + ': ' + job.status + (job.progress === null ? '' : ', ' + job.progress + '%');
  warningList.replaceChildren(...job.warnings.map((warning) => {
    const item = document.createElement('li');
    item.textContent = warning.message;
    return item;
  }));
  if (job.status === 'completed' && job.videos.length > 0) {
    video.src = job.videos[0].url;
    video.hidden = false;
  }
  if (job.status === 'failed' && job.error) showError(job.error);
}

// ---- Wiring ----

keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  loadModels().catch(showError);
});
byId('forget-key').addEventListener('click', () => {
  sessionStorage.removeItem(KEY_STORAGE);
  keyInput.value = '';
  jobForm.hidden = true;
});
modelSelect.addEventListener('change', showModelFields);
jobForm.addEventListener('submit', (event) => {
  event.preventDefault();
  submitButton.disabled = true;
  createJob().catch(showError).finally(() => {
    submitButton.disabled = false;
  });
});

const storedKey = sessionStorage.getItem(KEY_STORAGE);
if (storedKey) {
  keyInput.value = storedKey;
  loadModels().catch(showError);
}
`;
