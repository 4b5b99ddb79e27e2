// Loads the bundle the .vsix ships (dist/extension.js, from `npm run build`) under plain
// Node with a stand-in `vscode` module, and activates it:
// - with no flowproof anywhere, it must say so (the install message), not fail silently;
// - with FLOWPROOF_BIN set to a flowproof executable, it must start `flowproof lsp` and
//   finish the LSP initialize handshake.
"use strict";

const assert = require("node:assert");
const fs = require("node:fs");
const Module = require("node:module");
const os = require("node:os");
const path = require("node:path");
const test = require("node:test");

const bundle = path.join(__dirname, "..", "dist", "extension.js");

// Anything not spelled out below: a callable object whose every property is another such
// object (and not a thenable, and iterable as empty), enough for the language client.
function anything() {
  const cache = new Map();
  const target = function () {};
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === "then") return undefined;
      if (prop === Symbol.iterator) return function* () {};
      if (prop === Symbol.toPrimitive) return () => "";
      if (prop === "prototype") return target.prototype;
      if (!cache.has(prop)) cache.set(prop, anything());
      return cache.get(prop);
    },
    apply: () => anything(),
    construct: () => anything(),
  });
}

function fakeVscode(settings) {
  const shown = [];
  const commands = new Map();
  const lines = [];
  const disposable = { dispose() {} };
  const event = () => disposable;
  const vscode = {
    shown,
    commands: {
      registerCommand(id, fn) {
        commands.set(id, fn);
        return disposable;
      },
      executeCommand: async () => undefined,
      registered: commands,
    },
    window: {
      createOutputChannel: () => ({
        lines,
        appendLine: (l) => lines.push(l),
        append: (l) => lines.push(l),
        show() {},
        clear() {},
        dispose() {},
        replace() {},
        hide() {},
      }),
      showErrorMessage: async (m) => void shown.push(["error", m]),
      showWarningMessage: async (m) => void shown.push(["warning", m]),
      showInformationMessage: async (m) => void shown.push(["info", m]),
      activeTextEditor: undefined,
      visibleTextEditors: [],
      onDidChangeVisibleTextEditors: event,
      onDidChangeActiveTextEditor: event,
    },
    workspace: {
      getConfiguration: () => ({ get: (key, dflt) => (key in settings ? settings[key] : dflt) }),
      onDidChangeConfiguration: event,
      workspaceFolders: undefined,
      textDocuments: [],
      notebookDocuments: [],
    },
    version: "1.82.0",
    env: { appName: "Visual Studio Code", language: "en", openExternal: async () => true },
    Uri: { parse: (s) => ({ toString: () => s }) },
  };
  return new Proxy(vscode, {
    get(t, prop) {
      if (prop in t) {
        const v = t[prop];
        if (v && typeof v === "object" && !Array.isArray(v)) {
          return new Proxy(v, { get: (o, p) => (p in o ? o[p] : anything()[p]) });
        }
        return v;
      }
      return anything()[prop];
    },
  });
}

function loadBundle(vscode) {
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return request === "vscode" ? "vscode" : resolve.call(this, request, ...rest);
  };
  require.cache.vscode = { id: "vscode", filename: "vscode", loaded: true, exports: vscode };
  delete require.cache[require.resolve(bundle)];
  try {
    return require(bundle);
  } finally {
    Module._resolveFilename = resolve;
    delete require.cache.vscode;
  }
}

const skip = fs.existsSync(bundle) ? false : "dist/extension.js is missing (npm run build)";

test("no flowproof anywhere: an error message that says how to install", { skip }, async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "flowproof-bundle-"));
  const saved = { PATH: process.env.PATH, HOME: process.env.HOME, CARGO_HOME: process.env.CARGO_HOME };
  process.env.PATH = empty;
  process.env.HOME = empty;
  delete process.env.CARGO_HOME;
  try {
    const vscode = fakeVscode({});
    const ext = loadBundle(vscode);
    ext.activate({ subscriptions: [] });
    assert.ok(vscode.commands.registered.has("flowproof.verifyClaim"));
    assert.ok(vscode.commands.registered.has("flowproof.restartServer"));
    assert.strictEqual(vscode.shown.length, 1);
    const [kind, message] = vscode.shown[0];
    assert.strictEqual(kind, "error");
    assert.match(message, /`flowproof` was not found on PATH or in ~\/\.cargo\/bin/);
    assert.match(message, /cargo install --git/);
    await ext.deactivate();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fs.rmSync(empty, { recursive: true });
  }
});

const bin = process.env.FLOWPROOF_BIN;
test(
  "flowproof.path set: starts `flowproof lsp`, and a request gets the server's answer",
  { skip: skip || (bin ? false : "set FLOWPROOF_BIN to a flowproof executable") },
  async () => {
    const vscode = fakeVscode({ path: path.resolve(bin) });
    const ext = loadBundle(vscode);
    const context = { subscriptions: [] };
    ext.activate(context);
    const verify = vscode.commands.registered.get("flowproof.verifyClaim");
    // A round trip: the command waits for the client to start (the initialize handshake),
    // then sends workspace/executeCommand for a document the server has not seen. The
    // server refuses it (today: "`file:///nowhere/none.flow` is not open"), and that
    // refusal, coming back over LSP, is shown as an error message.
    const result = await verify("file:///nowhere/none.flow", { line: 0, character: 0 });
    assert.strictEqual(result, undefined);
    assert.strictEqual(vscode.shown.length, 1, JSON.stringify(vscode.shown));
    const [kind, message] = vscode.shown[0];
    assert.strictEqual(kind, "error");
    assert.match(message, /^flowproof: /);
    assert.doesNotMatch(message, /could not start|not found on PATH/);
    await ext.deactivate();
  },
);
