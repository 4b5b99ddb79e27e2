//! The language server, driven as an editor drives it: `flowproof lsp` as a child
//! process, JSON-RPC messages framed with `Content-Length` over its standard input
//! and output.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::cli;

const WAIT: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// notifications received while waiting for something else
    notifications: Vec<Value>,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_flowproof"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("flowproof lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                // headers, then a blank line, then the body
                let mut length = None;
                loop {
                    let mut line = String::new();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let Some(length) = length else { return };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let value: Value = serde_json::from_slice(&body).expect("the server sends JSON");
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming: rx,
            next_id: 0,
            notifications: Vec::new(),
        }
    }

    fn send(&mut self, message: &Value) {
        let body = serde_json::to_string(message).expect("JSON");
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and waits for its response (keeping notifications that arrive
    /// meanwhile); returns the whole response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let deadline = Instant::now() + WAIT;
        loop {
            let message = self.receive(deadline, method);
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return message;
            }
            self.notifications.push(message);
        }
    }

    /// The result of a request that must succeed.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(
            response.get("error").is_none(),
            "{method} failed: {response}"
        );
        response["result"].clone()
    }

    fn receive(&mut self, deadline: Instant, what: &str) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(left) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("no answer to {what} in {WAIT:?}"),
            Err(RecvTimeoutError::Disconnected) => {
                panic!("the server closed while waiting for {what}")
            }
        }
    }

    /// The next `publishDiagnostics` for `uri`.
    fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        let matches = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(i) = self.notifications.iter().position(matches) {
            let m = self.notifications.remove(i);
            return m["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let message = self.receive(deadline, "publishDiagnostics");
            if matches(&message) {
                return message["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            self.notifications.push(message);
        }
    }
}

const POLICY: &str = r#"policy "Language server test" version "1" date 2011-01-01;

source memo {
  title = "A memo on opting out";
  date  = 2011-04-28;
  quote = "counties may opt out";
}

kind state;
kind county;
kind federal;

agency CA: state;
agency SanFrancisco: county in CA;
agency SantaClara: county in CA;
agency ICE: federal;

data prints;

param activated(c: county);

collect prints at (c: county);
flow prints: (c: county) -> parent(c);
/* Fé */ flow prints: CA -> Ice when activated(origin) cite memo;

claim prints_stay_home "No county's prints reach ICE" cite memo:
  always forall c: county. !reaches(prints of c, ICE);
"#;

fn temp_policy(text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("flowproof-lsp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("policy.flow");
    std::fs::write(&path, text).expect("write");
    path
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Line and UTF-16 column of the first `needle` after `after` in `text`.
fn position(text: &str, after: &str, needle: &str) -> Value {
    let from = text.find(after).expect("anchor in text");
    let at = from + text[from..].find(needle).expect("needle in text");
    let line = text[..at].matches('\n').count();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let character = text[line_start..at].encode_utf16().count();
    json!({ "line": line, "character": character })
}

fn at(uri: &str, pos: &Value) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": pos })
}

fn labels(items: &Value) -> Vec<String> {
    items
        .as_array()
        .expect("a list")
        .iter()
        .map(|i| i["label"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn an_editor_session() {
    let path = temp_policy(POLICY);
    let uri = uri_of(&path);
    let mut client = Client::start();

    // -- initialize: the server says what it can do
    let init = client.call(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": {} }),
    );
    let caps = &init["capabilities"];
    for capability in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "documentFormattingProvider",
    ] {
        assert_eq!(caps[capability], true, "{capability}: {init}");
    }
    assert!(caps["completionProvider"].is_object());
    assert!(caps["codeLensProvider"].is_object());
    assert_eq!(
        caps["positionEncoding"], "utf-16",
        "no encoding offered: UTF-16"
    );
    assert_eq!(
        caps["executeCommandProvider"]["commands"][0],
        "flowproof.verifyClaim"
    );
    client.notify("initialized", json!({}));

    // -- didOpen with an error: the same diagnostic `flowproof check` gives
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "flow", "version": 1, "text": POLICY } }),
    );
    let diagnostics = client.diagnostics_for(&uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d["code"], "flowproof::check::unknown_name");
    assert_eq!(d["severity"], 1, "an error");
    assert_eq!(d["source"], "flowproof");
    // the range counts UTF-16 units: `é` before it is one unit (two bytes)
    assert_eq!(d["range"]["start"], position(POLICY, "/* Fé */", "Ice"));
    let check = cli::flowproof(&["check", "--format", "json", path.to_str().expect("utf-8")]);
    let report: Value = serde_json::from_slice(&check.stdout).expect("check JSON");
    let cli = &report["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], cli["code"]);
    let message = d["message"].as_str().expect("message");
    assert!(
        message.starts_with(cli["message"].as_str().expect("CLI message")),
        "same message: {message} / {cli}"
    );
    assert!(
        message.contains(&format!(
            "help: {}",
            cli["help"].as_str().expect("CLI help")
        )),
        "the help is kept: {message}"
    );
    assert_eq!(
        d["range"]["start"]["line"],
        cli["labels"][0]["line"].as_u64().expect("line") - 1
    );

    // -- the fix: diagnostics are cleared as you type
    let fixed = POLICY.replace("CA -> Ice", "CA -> ICE");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": fixed }] }),
    );
    assert_eq!(client.diagnostics_for(&uri), Vec::<Value>::new());

    // -- go to definition: a use of ICE goes to its agency declaration
    let def = client.call(
        "textDocument/definition",
        at(&uri, &position(&fixed, "reaches(prints of c, ", "ICE")),
    );
    assert_eq!(def["uri"], uri.as_str());
    assert_eq!(def["range"]["start"], position(&fixed, "agency ICE", "ICE"));
    // a variable goes to where it is bound
    let def = client.call(
        "textDocument/definition",
        at(&uri, &position(&fixed, "-> parent(c)", "c)")),
    );
    assert_eq!(
        def["range"]["start"],
        position(&fixed, "flow prints: (c", "c:")
    );

    // -- find references: the data `prints`, declaration included
    let refs = client.call(
        "textDocument/references",
        json!({
            "textDocument": { "uri": uri },
            "position": position(&fixed, "data prints", "prints"),
            "context": { "includeDeclaration": true },
        }),
    );
    assert_eq!(refs.as_array().map(Vec::len), Some(5), "{refs}");

    // -- hover: an agency's kind and parent; a param's ground instances; a source
    let hover = |client: &mut Client, anchor: &str, word: &str| -> String {
        let h = client.call(
            "textDocument/hover",
            at(&uri, &position(&fixed, anchor, word)),
        );
        h["contents"]["value"]
            .as_str()
            .expect("markdown")
            .to_owned()
    };
    let agency = hover(&mut client, "agency SanFrancisco", "SanFrancisco");
    assert!(
        agency.contains("agency SanFrancisco: county in CA;"),
        "{agency}"
    );
    assert!(
        agency.contains("An agency of kind `county`, in `CA`."),
        "{agency}"
    );
    let param = hover(&mut client, "when activated", "activated");
    assert!(param.contains("2 ground instances"), "{param}");
    assert!(
        param.contains("`activated(SanFrancisco)`, `activated(SantaClara)`"),
        "{param}"
    );
    let data = hover(&mut client, "data prints", "prints");
    assert!(data.contains("Collected at every `county`."), "{data}");
    assert!(data.contains("Moved by 2 flow rules."), "{data}");
    let source = hover(&mut client, "cite memo;", "memo");
    assert!(
        source.contains("**A memo on opting out** (2011-04-28)"),
        "{source}"
    );
    assert!(source.contains("> counties may opt out"), "{source}");

    // -- completion: sources after `cite`, data after `flow`, names in a formula
    // each change is checked and published; take its diagnostics before the next
    let change = |client: &mut Client, text: &str| -> Vec<Value> {
        client.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": text }] }),
        );
        client.diagnostics_for(&uri)
    };
    let draft = format!("{fixed}flow ");
    change(&mut client, &draft);
    let end = position(&draft, "flow ", "flow ");
    let end = json!({ "line": end["line"], "character": 5 });
    let items = client.call("textDocument/completion", at(&uri, &end));
    assert_eq!(labels(&items), ["prints"]);

    // completion at the end of a draft
    let complete_end = |client: &mut Client, draft: &str| -> Vec<String> {
        change(client, draft);
        let line = draft.lines().count() - 1;
        let character = draft.lines().last().expect("a line").len();
        let items = client.call(
            "textDocument/completion",
            at(&uri, &json!({ "line": line, "character": character })),
        );
        labels(&items)
    };
    let names = complete_end(
        &mut client,
        &format!("{fixed}assume forall x: county. reaches(prints of x, "),
    );
    for expected in ["x", "ICE", "SanFrancisco", "origin", "parent"] {
        assert!(
            names.contains(&expected.to_owned()),
            "{expected} in {names:?}"
        );
    }

    assert_eq!(
        complete_end(
            &mut client,
            &format!("{fixed}assume activated(SanFrancisco) cite ")
        ),
        ["memo"]
    );

    // -- formatting: the formatter's text, as one edit
    let messy = fixed.replace("kind state;\nkind county;", "kind state;   kind   county;");
    change(&mut client, &messy);
    let edits = client.call(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let edits = edits.as_array().expect("edits");
    assert_eq!(edits.len(), 1);
    assert_eq!(
        edits[0]["newText"].as_str(),
        Some(
            flowproof::format::format_text(&messy)
                .expect("formats")
                .as_str()
        )
    );
    assert_eq!(change(&mut client, &fixed), Vec::<Value>::new());

    // -- a code lens on the claim verifies it; the verdict shows on the claim
    let lenses = client.call(
        "textDocument/codeLens",
        json!({ "textDocument": { "uri": uri } }),
    );
    let lenses = lenses.as_array().expect("lenses");
    assert_eq!(lenses.len(), 1);
    let command = &lenses[0]["command"];
    assert_eq!(command["command"], "flowproof.verifyClaim");
    let result = client.call(
        "workspace/executeCommand",
        json!({ "command": command["command"], "arguments": command["arguments"] }),
    );
    assert_eq!(result["claim"], "prints_stay_home");
    assert_eq!(result["verdict"], "refuted", "{result}");
    let message = result["message"].as_str().expect("message");
    assert!(
        message.contains("counterexample, failing for c = SanFrancisco: activated(SanFrancisco) (needed; every other param false)"),
        "{message}"
    );
    let shown = client.diagnostics_for(&uri);
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(
        shown[0]["range"]["start"],
        position(&fixed, "claim ", "prints_stay_home")
    );
    assert!(
        shown[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("refuted")
    );

    // -- shutdown, exit: the server answers, then ends cleanly
    let response = client.request("shutdown", Value::Null);
    assert_eq!(response["result"], Value::Null);
    assert!(response.get("error").is_none());
    client.notify("exit", Value::Null);
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(status) = client.child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "exit status {status}");
    let _ = std::fs::remove_dir_all(path.parent().expect("dir"));
}

#[test]
fn bad_requests_get_errors_not_crashes() {
    let mut client = Client::start();
    client.call(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": { "general": { "positionEncodings": ["utf-8", "utf-16"] } } }),
    )
    .get("capabilities")
    .map(|c| assert_eq!(c["positionEncoding"], "utf-8", "UTF-8 when offered"))
    .expect("capabilities");
    client.notify("initialized", json!({}));
    // a document that is not open
    let r = client.request(
        "textDocument/hover",
        at(
            "file:///nowhere.flow",
            &json!({ "line": 0, "character": 0 }),
        ),
    );
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("not open"),
        "{r}"
    );
    // parameters of the wrong shape
    let r = client.request("textDocument/hover", json!({ "nonsense": true }));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    // a method the server does not know
    let r = client.request("textDocument/rename", json!({}));
    assert_eq!(r["error"]["code"], -32601, "{r}");
    // the server is still there
    let response = client.request("shutdown", Value::Null);
    assert!(response.get("error").is_none());
    client.notify("exit", Value::Null);
    let status = client.child.wait().expect("exits");
    assert!(status.success());
}

#[test]
fn imports_are_followed() {
    let dir = std::env::temp_dir().join(format!("flowproof-lsp-imports-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    // the imported file has a warning of its own: a source no rule cites
    let base =
        "kind county;\nagency Cook: county;\ndata prints;\nsource unused { title = \"x\"; }\n";
    std::fs::write(dir.join("base.flow"), base).expect("write");
    let main = "import \"base.flow\";\ncollect prints at Cook;\n";
    let main_path = dir.join("main.flow");
    std::fs::write(&main_path, main).expect("write");
    let uri = uri_of(&main_path);
    let base_uri = uri_of(&dir.join("base.flow"));

    let mut client = Client::start();
    client.call(
        "initialize",
        json!({ "processId": null, "rootUri": null, "capabilities": {} }),
    );
    client.notify("initialized", json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "flow", "version": 1, "text": main } }),
    );
    let own = client.diagnostics_for(&uri);
    assert!(
        own.iter()
            .all(|d| d["code"] != "flowproof::lint::unused_source"),
        "{own:?}"
    );
    let imported = client.diagnostics_for(&base_uri);
    assert!(
        imported
            .iter()
            .any(|d| d["code"] == "flowproof::lint::unused_source"),
        "the import's diagnostics are published to it: {imported:?}"
    );
    // a name declared in the import goes there
    let def = client.call(
        "textDocument/definition",
        at(&uri, &position(main, "at ", "Cook")),
    );
    assert_eq!(def["uri"], base_uri.as_str());
    assert_eq!(def["range"]["start"], position(base, "agency ", "Cook"));
    // and so does the import's path
    let def = client.call(
        "textDocument/definition",
        at(&uri, &position(main, "import", "base")),
    );
    assert_eq!(def["uri"], base_uri.as_str());
    let response = client.request("shutdown", Value::Null);
    assert!(response.get("error").is_none());
    client.notify("exit", Value::Null);
    assert!(client.child.wait().expect("exits").success());
    let _ = std::fs::remove_dir_all(&dir);
}
