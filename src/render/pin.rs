//! A pin file as text: the regression file `flowproof pin` writes.

use crate::pin::Pin;
use crate::syntax::print;

/// The pin file: a header saying what it pins, an `// expect` line per claim, the
/// policy header, the import and one `assume` per ground param.
pub fn text(pin: &Pin) -> String {
    let mut text = match &pin.reading {
        None => format!(
            "// Regression: the scenario in which claim `{}` of {} is {}.\n// Written by `flowproof pin`; every ground param is fixed below, so this file has\n// exactly one scenario, and these are the verdicts every claim gets in it.\n",
            pin.claim, pin.policy_file, pin.verdict
        ),
        Some((from, name)) => format!(
            "// Regression: the scenario in which claim `{}` of {} is {} in reading `{from}`.\n// Written by `flowproof pin`; every ground param is fixed in the reading `{name}`\n// below, so that reading has exactly one scenario, and these are the verdicts every\n// claim gets in it (the policy's own readings are decided as before).\n",
            pin.claim, pin.policy_file, pin.verdict
        ),
    };
    let at = pin
        .reading
        .as_ref()
        .map(|(_, name)| format!("@{name}"))
        .unwrap_or_default();
    for (name, verdict, vacuous) in &pin.expects {
        let vacuous = if *vacuous { " vacuous" } else { "" };
        text.push_str(&format!("// expect {name}{at} {verdict}{vacuous}\n"));
    }
    text.push_str(&format!(
        "policy {} version {};\n",
        print::string(&format!(
            "{}: pinned scenario of {}",
            pin.policy_name, pin.claim
        )),
        print::string("pin")
    ));
    text.push_str(&format!(
        "import {};\n",
        print::string(&pin.import.to_string_lossy())
    ));
    let indent = match &pin.reading {
        Some((from, name)) => {
            text.push_str(&format!(
                "reading {name} {} {{\n",
                print::string(&format!("the scenario pinned from reading {from}"))
            ));
            "  "
        }
        None => "",
    };
    for (name, value) in &pin.scenario {
        let not = if *value { "" } else { "!" };
        text.push_str(&format!("{indent}assume {not}{name};\n"));
    }
    if pin.reading.is_some() {
        text.push_str("}\n");
    }
    text
}
