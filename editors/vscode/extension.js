// VS Code client for flowproof: starts `flowproof lsp` over stdio for .flow files and adds
// a "Verify claim under cursor" command that asks the server to verify one claim.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

const VERIFY_CLAIM = "flowproof.verifyClaim";

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

function activate(context) {
  const command = vscode.workspace.getConfiguration("flowproof").get("path", "flowproof");
  // Run `<flowproof.path> lsp` and talk LSP over its stdin/stdout. (No `transport` field:
  // an explicit TransportKind.stdio would make the client append `--stdio` to the args.)
  const serverOptions = { command, args: ["lsp"] };
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "flow" }],
  };
  client = new FlowproofClient("flowproof", "flowproof", serverOptions, clientOptions);

  // Registered before the client starts, so the command works as soon as we activate.
  context.subscriptions.push(
    vscode.commands.registerCommand(VERIFY_CLAIM, (...args) => verifyClaim(args)),
  );

  started = client.start();
  started.catch((err) => {
    vscode.window.showErrorMessage(
      `flowproof: could not start \`${command} lsp\` (set flowproof.path?): ${err.message || err}`,
    );
  });
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
