//! Navigation: a position in a document → the declaration of the name there (or the
//! file an `import` names), and → every use of that name.

use lsp_types::Location;

use super::document::Document;
use super::text::{Encoding, path_to_uri};
use crate::syntax::ast::Decl;

/// Where the name at `offset` is declared, or the file the `import` there names.
pub(super) fn definition(doc: &Document, offset: usize, enc: Encoding) -> Option<Location> {
    doc.analysis
        .index
        .at(doc.analysis.root, offset)
        .and_then(|o| doc.analysis.index.definition(&o.target))
        .map(|span| doc.location(span, enc))
        .or_else(|| imported_file(doc, offset))
}

/// Every use of the name at `offset`, its declaration too when `include_declaration`.
pub(super) fn references(
    doc: &Document,
    offset: usize,
    include_declaration: bool,
    enc: Encoding,
) -> Vec<Location> {
    let index = &doc.analysis.index;
    match index.at(doc.analysis.root, offset) {
        Some(o) => index
            .references(&o.target)
            .filter(|r| include_declaration || !r.is_def)
            .map(|r| doc.location(r.span, enc))
            .collect(),
        None => Vec::new(),
    }
}

/// The file an `import` at `offset` names, as a location at its start.
fn imported_file(doc: &Document, offset: usize) -> Option<Location> {
    let tree = doc.analysis.root_tree()?;
    let import = tree.decls.iter().find_map(|d| match d {
        Decl::Import(i)
            if (i.path.span.start as usize) <= offset && offset <= i.path.span.end as usize =>
        {
            Some(i)
        }
        _ => None,
    })?;
    let dir = doc.path.parent()?;
    let uri = path_to_uri(&dir.join(&import.path.node))?;
    Some(Location::new(uri, lsp_types::Range::default()))
}
