//! Positions as the protocol counts them (line and character, in UTF-16 code units
//! unless the client takes UTF-8) and as flowproof does (byte offsets), and the
//! conversion between file paths and `file:` URIs.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};

/// How the client counts characters in a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// The start of every line of a text, for converting offsets to positions and back.
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// The position of byte `offset` (clamped to the text, and moved back to the start
    /// of a character).
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> Position {
        let mut offset = offset.min(self.len);
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        let column = match enc {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => text[start..offset].encode_utf16().count(),
        };
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }

    pub fn range(&self, text: &str, start: usize, end: usize, enc: Encoding) -> Range {
        Range::new(
            self.position(text, start, enc),
            self.position(text, end, enc),
        )
    }

    /// The byte offset of `pos` (a position past the end of its line is the line's end;
    /// past the last line, the end of the text).
    pub fn offset(&self, text: &str, pos: Position, enc: Encoding) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return self.len;
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(self.len, |next| next - 1);
        let line = &text[start..end];
        let want = pos.character as usize;
        match enc {
            Encoding::Utf8 => {
                let mut at = want.min(line.len());
                while !line.is_char_boundary(at) {
                    at -= 1;
                }
                start + at
            }
            Encoding::Utf16 => {
                let mut units = 0;
                for (i, c) in line.char_indices() {
                    if units >= want {
                        return start + i;
                    }
                    units += c.len_utf16();
                }
                end
            }
        }
    }
}

/// The file a `file:` URI names.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// The `file:` URI of a path (made absolute first).
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    let url = url::Url::from_file_path(absolute).ok()?;
    Uri::from_str(url.as_str()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_or_bytes() {
        let text = "a\n’x\n😀y";
        let index = LineIndex::new(text);
        // `x` is after a 3-byte, 1-unit character
        let x = text.find('x').expect("x");
        assert_eq!(
            index.position(text, x, Encoding::Utf16),
            Position::new(1, 1)
        );
        assert_eq!(index.position(text, x, Encoding::Utf8), Position::new(1, 3));
        // `y` is after a 4-byte, 2-unit character
        let y = text.find('y').expect("y");
        assert_eq!(
            index.position(text, y, Encoding::Utf16),
            Position::new(2, 2)
        );
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            for offset in [0, 1, 2, x, y, text.len()] {
                let pos = index.position(text, offset, enc);
                assert_eq!(index.offset(text, pos, enc), offset, "{enc:?} {offset}");
            }
        }
        // past the end of a line, or of the text
        assert_eq!(index.offset(text, Position::new(0, 40), Encoding::Utf16), 1);
        assert_eq!(
            index.offset(text, Position::new(9, 0), Encoding::Utf16),
            text.len()
        );
    }

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/a dir/policy.flow");
        let uri = path_to_uri(path).expect("a file URI");
        assert_eq!(uri.as_str(), "file:///tmp/a%20dir/policy.flow");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(path));
    }
}
