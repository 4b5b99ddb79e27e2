// VS Code client for flowproof: starts `flowproof lsp` over stdio for .flow files and adds
// a "Verify claim under cursor" command that asks the server to verify one claim.
// Bundled with its dependencies into dist/extension.js (`npm run build`).
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");
const { findFlowproof, notFoundMessage, INSTALL_URL } = require("./locate");

const VERIFY_CLAIM = "flowproof.verifyClaim";
const RESTART = "flowproof.restartServer";

// vscode-languageclient registers a VS Code command for every id in the server's
// `executeCommandProvider`, and throws "command already exists" when the id is ours too,
// which would stop the client from starting. This client declines that feature; the
// extension registers the command itself and sends `workspace/executeCommand` directly.
class FlowproofClient extends LanguageClient {
  registerFeature(feature) {
    if (feature.registrationType && feature.registrationType.method === "workspace/executeCommand") {
      return;
    }
    super.registerFeature(feature);
  }
}

/** @type {FlowproofClient | undefined} */
let client;
/** @type {Promise<void> | undefined} */
let started;
/** @type {vscode.OutputChannel | undefined} */
let output;

function activate(context) {
  output = vscode.window.createOutputChannel("flowproof");
  context.subscriptions.push(output);

  // Registered before the client starts, so the commands work as soon as we activate.
  context.subscriptions.push(
    vscode.commands.registerCommand(VERIFY_CLAIM, (...args) => verifyClaim(args)),
    vscode.commands.registerCommand(RESTART, () => restart()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("flowproof.path")) {
        restart();
      }
    }),
  );

  startClient();
}

// Finds flowproof (see locate.js) and starts `flowproof lsp`; when it cannot be found,
// says so and how to install it.
function startClient() {
  const setting = vscode.workspace.getConfiguration("flowproof").get("path", "");
  const folders = vscode.workspace.workspaceFolders;
  const found = findFlowproof({
    setting,
    workspaceFolder: folders && folders.length > 0 ? folders[0].uri.fsPath : undefined,
  });
  if (!found) {
    client = undefined;
    started = undefined;
    const message = notFoundMessage(setting);
    output.appendLine(message);
    showNotFound(message);
    return;
  }
  output.appendLine(`Starting ${found.file} lsp (found via ${found.where}).`);

  // Run `<flowproof> lsp` and talk LSP over its stdin/stdout. (No `transport` field:
  // an explicit TransportKind.stdio would make the client append `--stdio` to the args.)
  const serverOptions = { command: found.file, args: ["lsp"] };
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "flow" }],
    outputChannel: output,
  };
  const current = new FlowproofClient("flowproof", "flowproof", serverOptions, clientOptions);
  client = current;
  started = current.start();
  started.catch((err) => {
    vscode.window.showErrorMessage(
      `flowproof: could not start \`${found.file} lsp\`: ${err.message || err}`,
    );
  });
}

async function showNotFound(message) {
  const settings = "Open Settings";
  const install = "How to Install";
  const choice = await vscode.window.showErrorMessage(message, settings, install);
  if (choice === settings) {
    vscode.commands.executeCommand("workbench.action.openSettings", "flowproof.path");
  } else if (choice === install) {
    vscode.env.openExternal(vscode.Uri.parse(INSTALL_URL));
  }
}

async function stopClient() {
  const old = client;
  const oldStarted = started;
  client = undefined;
  started = undefined;
  if (!old) {
    return;
  }
  try {
    await oldStarted;
  } catch {
    // It never got running; there is nothing to stop.
  }
  if (old.isRunning()) {
    await old.stop();
  }
}

async function restart() {
  await stopClient();
  startClient();
}

// Sends `flowproof.verifyClaim` with [uri, position]: the arguments given (a code lens
// from the server passes them), or else the active editor's document and cursor.
async function verifyClaim(args) {
  let params = args;
  if (params.length === 0) {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== "flow") {
      vscode.window.showWarningMessage("flowproof: open a .flow file and put the cursor on a claim.");
      return;
    }
    const { line, character } = editor.selection.active;
    params = [editor.document.uri.toString(), { line, character }];
  }
  if (!client || !started) {
    showNotFound(notFoundMessage(vscode.workspace.getConfiguration("flowproof").get("path", "")));
    return;
  }
  try {
    await started;
    const result = await client.sendRequest("workspace/executeCommand", {
      command: VERIFY_CLAIM,
      arguments: params,
    });
    // The server answers with an object whose `message` field says the verdict.
    if (result && typeof result.message === "string") {
      vscode.window.showInformationMessage(result.message);
    }
    return result;
  } catch (err) {
    vscode.window.showErrorMessage(`flowproof: ${err.message || err}`);
  }
}

function deactivate() {
  // Stop the server when VS Code unloads the extension (stopping a client that never
  // got running throws, so only a running one is stopped).
  return client && client.isRunning() ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
