// Finds the flowproof executable the language server is started from. No VS Code API
// here, so the search can be tested under plain Node (test/locate.test.js).
"use strict";

const fs = require("fs");
const os = require("os");
const path = require("path");

const RELEASES_URL = "https://github.com/flowproof/flowproof/releases";
const INSTALL_URL = "https://github.com/flowproof/flowproof/tree/main/editors/vscode#requirements";

/**
 * The places to look, in order, each as `{ file, where }`.
 *
 * - `flowproof.path` set to a path (it has a slash, or a backslash on Windows): that
 *   file and nothing else; a leading `~` is the home directory, and a relative path is
 *   taken from the first workspace folder.
 * - Otherwise the name (`flowproof.path` when it is a bare name, else `flowproof`) on
 *   PATH, then in Cargo's bin directory: `$CARGO_HOME/bin` when CARGO_HOME is set, and
 *   `~/.cargo/bin` (on Windows `%USERPROFILE%\.cargo\bin`, with `.exe`).
 *
 * @param {{ setting?: string, env?: NodeJS.ProcessEnv, platform?: string,
 *           homedir?: string, workspaceFolder?: string }} [options]
 * @returns {{ file: string, where: string }[]}
 */
function candidates(options = {}) {
  const env = options.env || process.env;
  const platform = options.platform || process.platform;
  const windows = platform === "win32";
  const p = windows ? path.win32 : path.posix;
  const home = options.homedir || (windows && env.USERPROFILE) || os.homedir();
  const setting = (options.setting || "").trim();

  if (setting && (setting.includes("/") || (windows && setting.includes("\\")))) {
    let file = setting;
    if (file === "~" || file.startsWith("~/") || (windows && file.startsWith("~\\"))) {
      file = p.join(home, file.slice(1));
    } else if (!p.isAbsolute(file) && options.workspaceFolder) {
      file = p.resolve(options.workspaceFolder, file);
    }
    return [{ file, where: "the flowproof.path setting" }];
  }

  const name = setting || "flowproof";
  // On Windows only .exe and .com are tried: Node will not spawn a .cmd or .bat file
  // without a shell.
  const names = windows && !/\.(exe|com)$/i.test(name) ? [`${name}.exe`, `${name}.com`] : [name];
  const found = [];
  const pathVar = (windows ? env.Path || env.PATH : env.PATH) || "";
  for (const dir of pathVar.split(p.delimiter)) {
    // An empty PATH entry means the current directory; that is not searched.
    const clean = dir.replace(/^"(.*)"$/, "$1");
    if (clean) {
      for (const n of names) {
        found.push({ file: p.join(clean, n), where: "PATH" });
      }
    }
  }
  const cargoBins = [];
  if (env.CARGO_HOME) {
    cargoBins.push(p.join(env.CARGO_HOME, "bin"));
  }
  cargoBins.push(p.join(home, ".cargo", "bin"));
  for (const dir of cargoBins) {
    for (const n of names) {
      found.push({ file: p.join(dir, n), where: dir });
    }
  }
  return found;
}

/** Whether `file` is a regular file this process may run. */
function isExecutable(file, platform = process.platform) {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    if (platform !== "win32") {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * The first candidate that is an executable file, as `{ file, where }`, or `undefined`.
 * @param {Parameters<typeof candidates>[0] & { exists?: (file: string) => boolean }} [options]
 */
function findFlowproof(options = {}) {
  const platform = options.platform || process.platform;
  const exists = options.exists || ((file) => isExecutable(file, platform));
  return candidates(options).find((c) => exists(c.file));
}

/**
 * What to tell the user when nothing was found.
 * @param {string | undefined} setting the `flowproof.path` setting
 * @param {string} [platform]
 */
function notFoundMessage(setting, platform = process.platform) {
  const cargoBin = platform === "win32" ? "%USERPROFILE%\\.cargo\\bin" : "~/.cargo/bin";
  const s = (setting || "").trim();
  const looked =
    s && (s.includes("/") || (platform === "win32" && s.includes("\\")))
      ? `\`${s}\` (the flowproof.path setting) is not an executable file.`
      : `\`${s || "flowproof"}\` was not found on PATH or in ${cargoBin}.`;
  return (
    `flowproof: ${looked} The language server needs it. Install flowproof with ` +
    "`cargo install --git https://github.com/flowproof/flowproof flowproof` (it needs the Z3 " +
    `library: libz3-dev on Debian and Ubuntu), or download a release from ${RELEASES_URL}; ` +
    "or set flowproof.path to the executable. Then run flowproof: Restart language server."
  );
}

module.exports = { candidates, findFlowproof, isExecutable, notFoundMessage, RELEASES_URL, INSTALL_URL };
