//! The checker's diagnostics: loading, imports, names, kinds, and lints.

use miette::Diagnostic;
use thiserror::Error;

use crate::span::Span;

#[derive(Debug, Error, Diagnostic)]
pub enum LoadError {
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(
        code(flowproof::load::unreadable),
        help("check the path, and that you may read it")
    )]
    Unreadable { path: String, reason: String },

    #[error("`{path}` is a directory; this command reads one policy file")]
    #[diagnostic(
        code(flowproof::load::directory),
        help(
            "name one `.flow` file in it; `check`, `verify`, `contradictions`, `timeline` and \
`report` take directories"
        )
    )]
    Directory { path: String },

    #[error("`{path}` is not valid UTF-8")]
    #[diagnostic(
        code(flowproof::load::invalid_utf8),
        help("policy files are UTF-8 text; re-save the file as UTF-8")
    )]
    InvalidUtf8 {
        path: String,
        #[label("the first byte that is not UTF-8 is here")]
        span: Span,
    },

    #[error("no `.flow` files in `{path}`")]
    #[diagnostic(code(flowproof::load::no_files), help("policy files end in `.flow`"))]
    NoFiles { path: String },

    #[error("cannot import `{path}`: {reason}")]
    #[diagnostic(
        code(flowproof::import::not_found),
        help("an import path is relative to the directory of the file that imports it")
    )]
    ImportNotFound {
        path: String,
        reason: String,
        #[label("imported here")]
        span: Span,
    },

    #[error("`{path}` is {size}, over the limit of {limit} for one file")]
    #[diagnostic(
        code(flowproof::limit::file_size),
        help(
            "split the policy into files that import each other, or raise the limit with `--max-file-size MB`"
        )
    )]
    TooLarge {
        path: String,
        size: String,
        limit: String,
        #[label("imported here")]
        span: Option<Span>,
    },

    #[error("cannot import `{path}`: an import path must be relative")]
    #[diagnostic(
        code(flowproof::import::absolute),
        help(
            "write the path relative to this file's directory, for example `common/agencies.flow`; a policy that names places on one computer cannot be shared"
        )
    )]
    ImportAbsolute {
        path: String,
        #[label("an absolute path")]
        span: Span,
    },

    #[error(
        "cannot import `{path}`: it is outside `{root}`, the directory of the file being checked"
    )]
    #[diagnostic(
        code(flowproof::import::outside),
        help(
            "imports may not climb out of the directory of the file given on the command line (through `..` or a link), so a policy someone sends you reads only its own files; if the import is meant, run flowproof on a file in a directory that holds both, one that imports this one"
        )
    )]
    ImportOutside {
        path: String,
        root: String,
        #[label("this leads outside the policy's directory")]
        span: Span,
    },

    #[error("cannot import `{path}`: it is not a regular file")]
    #[diagnostic(
        code(flowproof::import::not_a_file),
        help("an import names a `.flow` file, not a directory, device or pipe")
    )]
    ImportNotAFile {
        path: String,
        #[label("imported here")]
        span: Span,
    },

    #[error("import cycle: {cycle}")]
    #[diagnostic(
        code(flowproof::import::cycle),
        help(
            "files may not import each other in a circle; move the shared declarations into a file both import"
        )
    )]
    ImportCycle {
        cycle: String,
        #[label("this import closes the cycle")]
        span: Span,
    },
}

#[derive(Debug, Error, Diagnostic)]
pub enum CheckError {
    #[error("`{name}` is declared twice")]
    #[diagnostic(code(flowproof::check::duplicate))]
    Duplicate {
        name: String,
        #[label("declared again here")]
        span: Span,
        #[label("first declared here")]
        first: Option<Span>,
        #[help]
        help: Option<String>,
    },

    #[error("unknown {what} `{name}`")]
    #[diagnostic(code(flowproof::check::unknown_name))]
    Unknown {
        what: &'static str,
        name: String,
        #[label("not declared")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("`{name}` is {actual}, not {expected}")]
    #[diagnostic(code(flowproof::check::wrong_sort))]
    WrongSort {
        name: String,
        actual: String,
        expected: &'static str,
        #[label("{expected} is needed here")]
        span: Span,
        #[label("declared here")]
        declared: Option<Span>,
        #[help]
        help: Option<String>,
    },

    #[error("`{name}` takes {expected} argument{plural}, but {given} {given_verb} given")]
    #[diagnostic(code(flowproof::check::arity))]
    Arity {
        name: String,
        expected: usize,
        plural: &'static str,
        given: usize,
        given_verb: &'static str,
        #[label("applied here")]
        span: Span,
        #[label("declared here")]
        declared: Option<Span>,
        #[help]
        help: Option<String>,
    },

    #[error("`{param}` expects {expected_kind} here, but `{term}` can be {actual}")]
    #[diagnostic(code(flowproof::check::kind_mismatch))]
    KindMismatch {
        param: String,
        expected_kind: String,
        term: String,
        actual: String,
        #[label("can be {actual}")]
        span: Span,
        #[label("parameter declared here")]
        declared: Option<Span>,
        #[help]
        help: Option<String>,
    },

    #[error("agencies are inside each other in a circle: {cycle}")]
    #[diagnostic(
        code(flowproof::check::parent_cycle),
        help(
            "`in` must describe a tree: follow the parents from any agency and you must reach one without a parent"
        )
    )]
    ParentCycle {
        cycle: String,
        #[label("this `in` closes the circle")]
        span: Span,
    },

    #[error("a `when` condition cannot mention `{what}`")]
    #[diagnostic(
        code(flowproof::check::reachability_in_guard),
        help(
            "whether a flow happens would then depend on what reaches where, possibly its own negation; state the condition with params instead, and put reachability facts in `assume`"
        )
    )]
    ReachabilityInGuard {
        what: &'static str,
        #[label("`{what}` used in a condition")]
        span: Span,
        #[label("the condition of this rule")]
        rule: Span,
    },

    #[error("`origin` has no meaning {place}")]
    #[diagnostic(code(flowproof::check::misplaced_origin))]
    MisplacedOrigin {
        place: &'static str,
        #[label("used here")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("an opt-out takes exactly one parameter, the opting agency, but `{name}` has {count}")]
    #[diagnostic(
        code(flowproof::check::optout_parameters),
        help(
            "write `optout {name}(v: kind) blocks ...`; the opt-out covers the data of `v` and of everything inside `v`"
        )
    )]
    OptoutParameters {
        name: String,
        count: usize,
        #[label("here")]
        span: Span,
    },

    #[error("`{name}` is bound twice in one rule")]
    #[diagnostic(
        code(flowproof::check::duplicate_binder),
        help("give the second binder another name, for example `{name}2`")
    )]
    DuplicateBinder {
        name: String,
        #[label("bound again here")]
        span: Span,
        #[label("first bound here")]
        first: Span,
    },

    #[error("unknown source field `{name}`")]
    #[diagnostic(code(flowproof::check::unknown_source_field))]
    UnknownSourceField {
        name: String,
        #[label("not a source field")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("source field `{name}` takes {expected}")]
    #[diagnostic(
        code(flowproof::check::source_field_type),
        help(
            "`title`, `url`, `quote` and `document` are strings in double quotes; `date` is written YYYY-MM-DD, YYYY-MM or YYYY"
        )
    )]
    SourceFieldType {
        name: String,
        expected: &'static str,
        #[label("this value is not {expected}")]
        span: Span,
    },

    #[error("source field `{name}` is given twice")]
    #[diagnostic(
        code(flowproof::check::duplicate_source_field),
        help("keep one of them; quote a second passage in a second source")
    )]
    DuplicateSourceField {
        name: String,
        #[label("given again here")]
        span: Span,
        #[label("first given here")]
        first: Span,
    },

    #[error("`{{{name}}}` in a label names no parameter")]
    #[diagnostic(code(flowproof::check::label_placeholder))]
    LabelPlaceholder {
        name: String,
        #[label("`{{{name}}}` stands for nothing here")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("a file has at most one `policy` header")]
    #[diagnostic(
        code(flowproof::check::duplicate_policy),
        help("remove one of the headers")
    )]
    DuplicatePolicy {
        #[label("second header")]
        span: Span,
        #[label("first header")]
        first: Span,
    },
}

#[derive(Debug, Error, Diagnostic)]
pub enum Lint {
    #[error("source `{name}` is never cited")]
    #[diagnostic(
        code(flowproof::lint::unused_source),
        severity(Warning),
        help("cite it from the rule or claim it supports with `cite {name}`, or remove it")
    )]
    UnusedSource {
        name: String,
        #[label("declared here")]
        span: Span,
    },

    #[error("this flow has no instance: {reason}")]
    #[diagnostic(
        code(flowproof::lint::empty_flow),
        severity(Warning),
        help("a rule with no instance never moves any data; check its endpoints")
    )]
    EmptyFlow {
        reason: String,
        #[label("grounds to nothing")]
        span: Span,
    },

    #[error(
        "{count} instance{plural} of this flow {verb} from an agency to itself and {verb2} dropped, for example `{example}`"
    )]
    #[diagnostic(
        code(flowproof::lint::self_loop),
        severity(Warning),
        help("a flow from an agency to itself moves nothing, so flowproof drops it")
    )]
    SelfLoop {
        count: usize,
        plural: &'static str,
        verb: &'static str,
        verb2: &'static str,
        example: String,
        #[label("has self-loop instances")]
        span: Span,
    },

    #[error("variable `{name}` hides the agency of the same name")]
    #[diagnostic(
        code(flowproof::lint::shadowed_agency),
        severity(Warning),
        help(
            "inside this rule `{name}` means the variable; rename the variable to refer to the agency"
        )
    )]
    ShadowedAgency {
        name: String,
        #[label("variable bound here")]
        span: Span,
        #[label("agency declared here")]
        agency: Option<Span>,
    },

    #[error("no `{data}` ever originates at {at}, so this is false in every scenario")]
    #[diagnostic(
        code(flowproof::lint::never_originates),
        severity(Warning),
        help(
            "`{data} of X` is data collected at X (or derived from data collected there); {origins}. A statement about it is true or false by construction, not by the policy"
        )
    )]
    NeverOriginates {
        data: String,
        at: String,
        origins: String,
        #[label("`{data}` never originates here")]
        span: Span,
    },

    #[error(
        "this `blocks` clause can never block anything: no `{data}` the opt-out covers ever reaches its source by a flow it names"
    )]
    #[diagnostic(code(flowproof::lint::clause_never_blocks), severity(Warning))]
    ClauseNeverBlocks {
        data: String,
        #[help]
        help: String,
        #[label("blocks nothing, in any scenario")]
        span: Span,
    },

    #[error("this file has no `policy` header")]
    #[diagnostic(
        code(flowproof::lint::no_policy_header),
        severity(Warning),
        help(
            "start the file with `policy \"name\" version \"v\" date YYYY-MM-DD;` so that reports can say which policy they are about"
        )
    )]
    NoPolicyHeader {
        #[label("the file starts here")]
        span: Span,
    },
}

/// Evidence: documents and the quotations checked against them (section 5.5).
#[derive(Debug, Error, Diagnostic)]
pub enum EvidenceError {
    #[error("quotation not found in `{document}`")]
    #[diagnostic(code(flowproof::evidence::quote_not_found))]
    QuoteNotFound {
        document: String,
        /// "these words are not in the document", or why there is nothing to look for.
        #[label("{what}")]
        span: Span,
        what: &'static str,
        #[help]
        help: Option<String>,
    },

    #[error("cannot read the document `{path}` of source `{source_name}`: {reason}")]
    #[diagnostic(code(flowproof::evidence::document_missing), severity(Warning))]
    DocumentMissing {
        path: String,
        source_name: String,
        reason: String,
        /// What is wrong with the path, in a few words.
        #[label("{what}")]
        span: Span,
        what: &'static str,
        /// That its quotations are not checked, and what to do.
        #[help]
        help: String,
    },

    #[error("cannot read the document `{path}` of source `{source_name}`: {reason}")]
    #[diagnostic(code(flowproof::evidence::document_missing))]
    DocumentRequired {
        path: String,
        source_name: String,
        reason: String,
        #[label("{what}")]
        span: Span,
        what: &'static str,
        /// What to do, after what `--require-evidence` asks for.
        #[help]
        help: String,
    },
}

/// A model too large to ground within the limits.
#[derive(Debug, Error, Diagnostic)]
pub enum LimitError {
    #[error("the model has {total} ground rule instances, over the limit of {limit}")]
    #[diagnostic(
        code(flowproof::limit::ground),
        help(
            "each variable multiplies a rule by the number of agencies of its kind, and so does each quantifier in a formula; fix an endpoint to one agency, or raise the limit with `--max-ground N`"
        )
    )]
    Ground {
        total: String,
        limit: String,
        biggest: String,
        #[label("the largest: {biggest} instances")]
        span: Span,
    },

    #[error("the model has {total} ground params, over the limit of {limit}")]
    #[diagnostic(
        code(flowproof::limit::ground_params),
        help(
            "a param over kinds with n and m agencies has n × m instances, one yes-or-no question each; drop an argument, or raise the limit with `--max-ground-params N`"
        )
    )]
    GroundParams {
        total: String,
        limit: String,
        biggest: String,
        #[label("the largest: {biggest} instances")]
        span: Span,
    },
}
