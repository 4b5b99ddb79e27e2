// Tests for src/locate.js: where the extension looks for flowproof, in what order.
// Run with `npm test` (Node's built-in test runner).
"use strict";

const assert = require("node:assert");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const test = require("node:test");

const { candidates, findFlowproof, notFoundMessage } = require("../src/locate");

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), "flowproof-locate-"));
}

function fakeExecutable(dir, name = "flowproof") {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  fs.writeFileSync(file, "#!/bin/sh\n");
  fs.chmodSync(file, 0o755);
  return file;
}

test("PATH comes first, then CARGO_HOME/bin, then ~/.cargo/bin", () => {
  const list = candidates({
    env: { PATH: "/a:/b", CARGO_HOME: "/cargo" },
    platform: "linux",
    homedir: "/home/u",
  });
  assert.deepStrictEqual(
    list.map((c) => c.file),
    ["/a/flowproof", "/b/flowproof", "/cargo/bin/flowproof", "/home/u/.cargo/bin/flowproof"],
  );
});

test("Windows: .exe, Path, and %USERPROFILE%\\.cargo\\bin", () => {
  const list = candidates({
    env: { Path: "C:\\tools;\"C:\\Program Files\\x\"", USERPROFILE: "C:\\Users\\u" },
    platform: "win32",
  });
  assert.deepStrictEqual(
    list.map((c) => c.file),
    [
      "C:\\tools\\flowproof.exe",
      "C:\\tools\\flowproof.com",
      "C:\\Program Files\\x\\flowproof.exe",
      "C:\\Program Files\\x\\flowproof.com",
      "C:\\Users\\u\\.cargo\\bin\\flowproof.exe",
      "C:\\Users\\u\\.cargo\\bin\\flowproof.com",
    ],
  );
});

test("a path in the setting is the only candidate; ~ is the home directory", () => {
  const env = { PATH: "/a" };
  assert.deepStrictEqual(
    candidates({ setting: "~/bin/flowproof", env, platform: "linux", homedir: "/home/u" }),
    [{ file: "/home/u/bin/flowproof", where: "the flowproof.path setting" }],
  );
  assert.deepStrictEqual(
    candidates({ setting: "./target/debug/flowproof", env, platform: "linux", workspaceFolder: "/ws" })
      .map((c) => c.file),
    ["/ws/target/debug/flowproof"],
  );
});

test("a bare name in the setting is searched like flowproof", () => {
  const list = candidates({ setting: "flowproof-dev", env: { PATH: "/a" }, platform: "linux", homedir: "/h" });
  assert.deepStrictEqual(list.map((c) => c.file), ["/a/flowproof-dev", "/h/.cargo/bin/flowproof-dev"]);
});

test("finds the first executable; skips files that are not executable", () => {
  const root = tempDir();
  const notExec = path.join(root, "a", "flowproof");
  fs.mkdirSync(path.dirname(notExec));
  fs.writeFileSync(notExec, "");
  fs.chmodSync(notExec, 0o644);
  const inCargo = fakeExecutable(path.join(root, "home", ".cargo", "bin"));
  const env = { PATH: [path.join(root, "a"), path.join(root, "empty")].join(path.delimiter) };
  const home = path.join(root, "home");
  assert.deepStrictEqual(findFlowproof({ env, homedir: home }), {
    file: inCargo,
    where: path.join(home, ".cargo", "bin"),
  });
  const onPath = fakeExecutable(path.join(root, "empty"));
  assert.strictEqual(findFlowproof({ env, homedir: home }).file, onPath);
  fs.rmSync(root, { recursive: true });
});

test("nothing found: undefined, and a message that says how to install", () => {
  const root = tempDir();
  assert.strictEqual(findFlowproof({ env: { PATH: root }, homedir: root }), undefined);
  const message = notFoundMessage("", "linux");
  assert.match(message, /not found on PATH or in ~\/\.cargo\/bin/);
  assert.match(message, /cargo install --git https:\/\/github\.com\/flowproof\/flowproof flowproof/);
  assert.match(message, /releases/);
  assert.match(notFoundMessage("/opt/flowproof", "linux"), /`\/opt\/flowproof` \(the flowproof.path setting\)/);
  assert.match(notFoundMessage("", "win32"), /%USERPROFILE%\\\.cargo\\bin/);
  fs.rmSync(root, { recursive: true });
});
