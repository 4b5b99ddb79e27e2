//! Lints: warnings for input that is legal but probably not what was meant.

mod optout;

use crate::check::error::Lint;
use crate::diagnostic::Diagnostic;
use crate::model::eval::{self, Env};
use crate::model::{AgencyId, Endpoint, Flow, Formula, FormulaKind, Model, RuleInfo, Term, VarId};
use crate::source::SourceMap;
use crate::span::FileId;

/// Above this many (binding, origin) combinations a flow is not enumerated for lints.
const LINT_ENUMERATION_LIMIT: usize = 1_000_000;

pub(crate) fn run(
    model: &Model,
    cited: &[bool],
    root: Option<FileId>,
    sources: &SourceMap,
    diagnostics: &mut Vec<Diagnostic>,
) {
    if let Some(root) = root
        && model.policy.is_none()
        && sources.get(root).is_some_and(|f| !f.text.trim().is_empty())
    {
        diagnostics.push(Diagnostic::new(
            root,
            Lint::NoPolicyHeader {
                span: crate::span::Span::new(root, 0, 0),
            },
        ));
    }
    for (source, used) in model.sources.iter().zip(cited) {
        if !used {
            diagnostics.push(Diagnostic::new(
                source.span.file,
                Lint::UnusedSource {
                    name: source.name.clone(),
                    span: source.span,
                },
            ));
        }
    }
    let origins = eval::origin_agencies(model);
    for flow in &model.flows {
        if let Some(lint) = flow_instances(model, flow, &origins[flow.data.index()]) {
            diagnostics.push(Diagnostic::new(flow.info.span.file, lint));
        }
    }
    for (formula, info) in model.statements() {
        never_originates(model, formula, info, &origins, diagnostics);
    }
    optout::run(model, &origins, diagnostics);
}

/// `d of O` in a statement where no value `O` can take is an agency `d` originates at:
/// the atom is false in every scenario, so a claim about it holds or fails by
/// construction (section 1: data of an origin is data collected there).
fn never_originates(
    model: &Model,
    formula: &Formula,
    info: &RuleInfo,
    origins: &[Vec<AgencyId>],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let kinds: Vec<_> = info.vars.iter().map(|v| v.kind).collect();
    formula.walk(&mut |f| {
        let (data, origin) = match &f.kind {
            FormulaKind::Reaches { data, origin, .. } | FormulaKind::Flows { data, origin, .. } => {
                (*data, origin)
            }
            _ => return,
        };
        let mut vars = Vec::new();
        term_vars(origin, &mut vars);
        vars.sort_unstable();
        vars.dedup();
        let combinations = vars
            .iter()
            .map(|v| model.agencies_of(kinds[v.index()]).count())
            .product::<usize>();
        if combinations > LINT_ENUMERATION_LIMIT {
            return;
        }
        let possible = &origins[data.index()];
        let mut some = false;
        let mut env = vec![None; kinds.len()];
        eval::for_each_assignment(model, &vars, &kinds, &mut env, &mut |env| {
            let value = eval::eval_term(
                model,
                origin,
                &Env {
                    vars: env,
                    origin: None,
                },
            );
            some |= value.is_some_and(|a| possible.contains(&a));
            !some
        });
        if some {
            return;
        }
        let at = match origin {
            Term::Agency(a) => format!("`{}`", model.agency(*a).name),
            t => format!("any agency `{}` can be", term_text(model, info, t)),
        };
        let names: Vec<String> = possible
            .iter()
            .take(3)
            .map(|a| format!("`{}`", model.agency(*a).name))
            .collect();
        let name = model.data_name(data);
        let origins = match (names.len(), possible.len()) {
            (0, _) => format!("`{name}` originates nowhere: nothing collects it"),
            (_, n) if n > 3 => format!(
                "`{name}` originates only at {} and {} more",
                names.join(", "),
                n - 3
            ),
            _ => format!("`{name}` originates only at {}", names.join(", ")),
        };
        diagnostics.push(Diagnostic::new(
            f.span.file,
            Lint::NeverOriginates {
                data: model.data_name(data).to_owned(),
                at,
                origins,
                span: f.span,
            },
        ));
    });
}

fn term_text(model: &Model, info: &RuleInfo, t: &Term) -> String {
    match t {
        Term::Agency(a) => model.agency(*a).name.clone(),
        Term::Var(v) => info.var(*v).name.clone(),
        Term::Origin => "origin".to_owned(),
        Term::Parent(inner) => format!("parent({})", term_text(model, info, inner)),
    }
}

fn term_vars(t: &Term, out: &mut Vec<VarId>) {
    match t {
        Term::Var(v) => out.push(*v),
        Term::Parent(inner) => term_vars(inner, out),
        Term::Agency(_) | Term::Origin => {}
    }
}

fn flow_instances(model: &Model, flow: &Flow, origins: &[crate::model::AgencyId]) -> Option<Lint> {
    let kinds: Vec<_> = flow.info.vars.iter().map(|v| v.kind).collect();
    let binders: Vec<VarId> = [&flow.from, &flow.to]
        .into_iter()
        .filter_map(|e| match e {
            Endpoint::Bind(v) => Some(*v),
            Endpoint::Term(_) => None,
        })
        .collect();
    let uses_origin =
        eval::endpoint_mentions_origin(&flow.from) || eval::endpoint_mentions_origin(&flow.to);
    let origin_choices: Vec<Option<crate::model::AgencyId>> = if uses_origin {
        origins.iter().copied().map(Some).collect()
    } else {
        vec![None]
    };
    let combinations = binders
        .iter()
        .map(|b| model.agencies_of(kinds[b.index()]).count())
        .product::<usize>()
        .saturating_mul(origin_choices.len().max(1));
    if combinations > LINT_ENUMERATION_LIMIT {
        return None;
    }
    let (mut kept, mut undefined, mut loops) = (0usize, 0usize, 0usize);
    let mut example = None;
    for origin in &origin_choices {
        let mut vars = vec![None; kinds.len()];
        eval::for_each_assignment(model, &binders, &kinds, &mut vars, &mut |vars| {
            let env = Env {
                vars,
                origin: *origin,
            };
            let from = eval::eval_endpoint(model, &flow.from, &env);
            let to = eval::eval_endpoint(model, &flow.to, &env);
            match (from, to) {
                (Some(x), Some(y)) if x == y => {
                    loops += 1;
                    example.get_or_insert_with(|| {
                        let name = &model.agency(x).name;
                        format!("{name} -> {name}")
                    });
                }
                (Some(_), Some(_)) => kept += 1,
                _ => undefined += 1,
            }
            true
        });
    }
    let span = flow.info.span;
    if kept == 0 {
        let reason = if uses_origin && origins.is_empty() {
            format!(
                "`{}` is never collected, so `origin` has no value",
                model.data_name(flow.data)
            )
        } else if loops == 0 && undefined == 0 {
            "a binder ranges over a kind with no agencies".to_owned()
        } else if loops > 0 && undefined == 0 {
            "every instance is from an agency to itself".to_owned()
        } else if loops == 0 {
            "`parent` is undefined for every instance".to_owned()
        } else {
            "every instance is undefined or from an agency to itself".to_owned()
        };
        return Some(Lint::EmptyFlow { reason, span });
    }
    let has_binder = !binders.is_empty();
    if loops > 0 && !has_binder {
        let plural = loops != 1;
        return Some(Lint::SelfLoop {
            count: loops,
            plural: if plural { "s" } else { "" },
            verb: if plural { "go" } else { "goes" },
            verb2: if plural { "are" } else { "is" },
            example: example.unwrap_or_default(),
            span,
        });
    }
    None
}
