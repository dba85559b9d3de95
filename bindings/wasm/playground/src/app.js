// hooksig playground: the page logic. build.mjs inlines this file after the
// wasm-bindgen glue and the package's `createApi`, then calls `start`.
//
// Every answer comes from the Rust core through the package API: `explain`
// (verdict, decoded fields with the reason each dropped one is not signed,
// canonical string, expected and received hashes, diagnosis), and
// `encodeForm` for the table editor. The page only displays what they return:
// it decides nothing about the protocol.
//
// The secret is read from its password field at each call and is written
// nowhere: not into the page, not into storage, not into the URL.

/** Words for the core's drop reason names (the core's `DropReason::describe`). */
const DROP_REASONS = {
  'hash-field': 'the signature field itself',
  null: 'the value is null',
  empty: 'the value is empty',
  'null-text': "the value is the text 'null'",
  'undefined-text': "the value is the text 'undefined'",
};

/** Creates an element; children are nodes or strings (always set as text, never parsed as HTML). */
function el(tag, props, ...children) {
  const node = document.createElement(tag);
  if (props) {
    for (const [name, value] of Object.entries(props)) {
      if (name === 'class') node.className = value;
      else if (name.includes('-')) node.setAttribute(name, value);
      else node[name] = value;
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

/** Replaces a node's children, skipping the absent ones (`null`, `undefined`, `false`). */
function put(node, ...children) {
  node.replaceChildren(...children.filter((c) => c !== null && c !== undefined && c !== false));
}

/**
 * Starts the page: instantiates the inlined module, then wires the inputs.
 * @param {any} wasmExports the wasm-bindgen glue's exports (not yet initialised)
 * @param {(wasm: any) => any} createApi the package's API factory
 * @param {string} base64 the module's bytes
 * @param {{label: string, file: string, body: string, secret: string}[]} examples
 */
async function start(wasmExports, createApi, base64, examples) {
  const $ = (id) => document.getElementById(id);
  const ui = {
    secret: $('secret'),
    body: $('body'),
    verdict: $('verdict'),
    fields: $('fields').tBodies[0],
    canonical: $('canonical'),
    expected: $('expected'),
    received: $('received'),
    diagnosis: $('diagnosis'),
    reportText: $('report-text'),
    editor: $('editor'),
    editRows: $('edit-table').tBodies[0],
    editMessage: $('edit-message'),
  };

  let hooksig;
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    // Compiled asynchronously: a synchronous compile of a large module on the
    // main thread blocks the page, and older Chromium refuses it (over 4 KB).
    // `initSync` then only instantiates the compiled module.
    const module = await WebAssembly.compile(bytes);
    wasmExports.initSync({ module });
    hooksig = createApi(wasmExports);
  } catch (e) {
    setVerdict('invalid', 'The WebAssembly core could not be loaded', String(e));
    document.documentElement.dataset.state = 'error';
    return;
  }

  function setVerdict(state, title, detail, kind) {
    ui.verdict.className = `verdict ${state}`;
    ui.verdict.dataset.verdict = state;
    ui.verdict.dataset.kind = kind || '';
    put(ui.verdict, title, detail ? el('span', { class: 'detail' }, detail) : null);
  }

  function clearResults() {
    ui.fields.replaceChildren();
    ui.canonical.replaceChildren(el('span', { class: 'none' }, '—'));
    ui.expected.replaceChildren('—');
    ui.received.replaceChildren('—');
    ui.expected.className = ui.received.className = 'mono';
    ui.diagnosis.replaceChildren();
    ui.reportText.textContent = '';
  }

  function renderFields(report) {
    if (report.fields.length === 0) {
      const why = report.canonical === null ? 'The body was refused before any field was signed.' : 'The body has no fields.';
      ui.fields.replaceChildren(el('tr', null, el('td', { colSpan: 4, class: 'hint' }, why)));
      return;
    }
    ui.fields.replaceChildren(
      ...report.fields.map((f, i) =>
        el(
          'tr',
          { class: f.dropped ? 'dropped' : 'signed' },
          el('td', { class: 'num' }, String(i + 1)),
          el('td', { class: 'key' }, f.key),
          el('td', { class: 'value' }, f.value),
          el(
            'td',
            null,
            f.dropped
              ? el('span', { class: 'tag dropped', title: DROP_REASONS[f.dropped] || f.dropped }, `dropped: ${f.dropped}`)
              : el('span', { class: 'tag' }, 'signed'),
          ),
        ),
      ),
    );
  }

  function renderCanonical(report) {
    if (report.canonical === null) {
      ui.canonical.replaceChildren(el('span', { class: 'none' }, 'none: the body was refused'));
      return;
    }
    const dropped = report.fields.filter((f) => f.dropped);
    ui.canonical.replaceChildren(
      report.canonical === ''
        ? el('span', { class: 'none' }, '(empty: no field is signed)')
        : el('span', { class: 'signed', 'data-role': 'canonical' }, report.canonical),
      ...dropped.map((f) =>
        el(
          'span',
          { class: 'out', 'data-dropped': f.dropped },
          el('del', null, `${f.key}=${f.value}`),
          el('span', { class: 'why' }, `  not signed (${f.dropped}): ${DROP_REASONS[f.dropped] || f.dropped}`),
        ),
      ),
    );
  }

  function renderHashes(report) {
    if (report.expected.length === 0) {
      ui.expected.replaceChildren(el('span', { class: 'note' }, 'none computed (see the verdict)'));
    } else {
      put(
        ui.expected,
        ...report.expected.flatMap((h, i) => [
          i > 0 ? el('br') : null,
          h,
          report.expected.length > 1 ? el('span', { class: 'note' }, ` secret #${i + 1}`) : null,
        ]),
      );
    }
    ui.received.replaceChildren(
      report.received === null ? el('span', { class: 'note' }, 'no hash field') : report.received,
    );
    const state = report.valid ? 'match' : report.expected.length && report.received !== null ? 'differs' : '';
    ui.expected.className = `mono ${report.valid ? 'match' : ''}`;
    ui.received.className = `mono ${state}`;
  }

  function renderDiagnosis(report) {
    const d = report.diagnosis;
    if (d === null) {
      ui.diagnosis.replaceChildren(
        el(
          'p',
          { class: 'hint' },
          report.valid
            ? 'Nothing to diagnose: the signature is valid.'
            : 'No diagnosis: it is given when the body carries a hash that does not match, and this body failed before that check.',
        ),
      );
      return;
    }
    const parts = [];
    const cause = d.cause === null ? null : d.findings.find((f) => f.variant === d.cause);
    if (cause) {
      parts.push(
        el(
          'p',
          { class: 'cause', 'data-cause': cause.variant },
          el('strong', null, 'Cause found: '),
          el('code', null, cause.variant),
          ` — ${cause.description}. Recomputing the hash with this mistake reproduces the received hash exactly`,
          cause.secretIndex !== null && report.expected.length > 1 ? ` (secret #${cause.secretIndex + 1})` : '',
          '.',
        ),
      );
    }
    if (d.findings.length === 0) {
      parts.push(
        el('p', null, 'No known sender mistake explains this hash: check the secret, and that the body reaches the receiver byte for byte.'),
      );
    } else {
      parts.push(
        el(
          'p',
          null,
          cause
            ? 'Known mistakes checked, most likely first:'
            : 'No known mistake reproduces the received hash exactly. Possible causes, most likely first:',
        ),
        el(
          'ol',
          { class: 'findings' },
          ...d.findings.map((f) =>
            el(
              'li',
              { 'data-variant': f.variant },
              el('code', null, f.variant),
              ` — ${f.description} `,
              f.reproduces ? el('span', { class: 'tag reproduces' }, 'reproduces the hash') : null,
            ),
          ),
        ),
      );
    }
    ui.diagnosis.replaceChildren(...parts);
  }

  function render(report) {
    if (report.valid) {
      setVerdict(
        'valid',
        'Valid signature',
        report.expected.length > 1
          ? `The hash matches the signed fields and secret #${report.secretIndex + 1}.`
          : 'The hash matches the signed fields and the secret.',
      );
    } else {
      setVerdict('invalid', `Invalid: ${report.error.kind}`, report.error.message, report.error.kind);
    }
    renderFields(report);
    renderCanonical(report);
    renderHashes(report);
    renderDiagnosis(report);
    ui.reportText.textContent = report.text;
  }

  function analyse() {
    if (ui.body.value === '') {
      clearResults();
      setVerdict('pending', 'Paste a raw body, or load an example, and enter the secret.');
      return;
    }
    try {
      render(hooksig.explain(ui.body.value, ui.secret.value));
    } catch (e) {
      clearResults();
      const kind = e instanceof hooksig.SignatureError ? e.kind : e.name;
      setVerdict('invalid', `Error: ${kind}`, e.message, kind);
    }
  }

  // Coalesces bursts of input events into one analysis per frame.
  let scheduled = false;
  function schedule() {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      analyse();
    });
  }

  // --- The table editor -------------------------------------------------------

  function editMessage(text, isError) {
    ui.editMessage.textContent = text;
    ui.editMessage.className = `message ${isError ? 'error' : ''}`;
  }

  function addRow(key = '', value = '') {
    const keyInput = el('input', { value: key, spellcheck: false, 'aria-label': 'key' });
    const valueInput = el('input', { value, spellcheck: false, 'aria-label': 'value' });
    const remove = el('button', { type: 'button', title: 'Remove this field', 'aria-label': 'remove' }, '×');
    const row = el('tr', null, el('td', null, keyInput), el('td', null, valueInput), el('td', null, remove));
    remove.addEventListener('click', () => row.remove());
    ui.editRows.append(row);
    return keyInput;
  }

  function loadEditorFromBody() {
    ui.editRows.replaceChildren();
    editMessage('');
    if (ui.body.value === '') {
      addRow();
      return;
    }
    // The decoded fields, exactly as the core reads them (`hash` included:
    // `encodeForm` leaves it out and appends the new one).
    const report = hooksig.explain(ui.body.value, ui.secret.value);
    for (const f of report.fields) addRow(f.key, f.value);
    if (report.fields.length === 0 && report.canonical === null) {
      editMessage(`The body cannot be decoded: ${report.error.message}`, true);
    }
  }

  function signIntoBody() {
    const pairs = [...ui.editRows.rows].map((row) => {
      const [key, value] = row.querySelectorAll('input');
      return [key.value, value.value];
    });
    try {
      ui.body.value = hooksig.encodeForm(pairs, ui.secret.value);
    } catch (e) {
      editMessage(`${e.kind || e.name}: ${e.message}`, true);
      return;
    }
    analyse();
    // The table now shows the new body (canonical order, the new hash).
    loadEditorFromBody();
    editMessage('The body was rebuilt and signed with the secret.');
  }

  $('add-row').addEventListener('click', () => addRow().focus());
  $('from-body').addEventListener('click', loadEditorFromBody);
  $('sign-body').addEventListener('click', signIntoBody);
  ui.editor.addEventListener('toggle', () => {
    if (ui.editor.open && ui.editRows.rows.length === 0) loadEditorFromBody();
  });

  // --- Inputs and examples ----------------------------------------------------

  const exampleBar = $('examples');
  for (const example of examples) {
    const button = el('button', { type: 'button', title: `${example.file} with the demo secret` }, example.label);
    button.addEventListener('click', () => {
      ui.body.value = example.body;
      ui.secret.value = example.secret;
      analyse();
      if (ui.editor.open) loadEditorFromBody();
    });
    exampleBar.append(button);
  }
  ui.body.addEventListener('input', schedule);
  ui.secret.addEventListener('input', schedule);

  analyse();
  document.documentElement.dataset.state = 'ready';
}
