//! `--report PATH.html`: the conformance report as one self-contained page.
//!
//! The page is the Markdown report converted with pulldown-cmark, inside a small inline style
//! sheet: one renderer to maintain, two formats that always agree. Raw HTML in the Markdown is
//! not expected (the Markdown writer escapes run data) and is dropped here as a second guard.

use pulldown_cmark::{Event, Options, Parser, html};

use super::{RunReport, markdown};

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}\
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}\
th{background:#f6f8fa}pre{background:#f6f8fa;padding:.75rem;overflow-x:auto;white-space:pre-wrap}\
strong{color:#b42318}em{color:#9a6700;font-style:normal;font-weight:600}code{font-size:.9em}";

/// The HTML page.
pub fn render(report: &RunReport) -> String {
    let markdown = markdown::render(report);
    let parser = Parser::new_ext(&markdown, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) if raw.as_ref() == "<br>" => {
            Event::InlineHtml(raw)
        }
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut body = String::new();
    html::push_html(&mut body, parser);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>SpatialFlow conformance report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::tests::sample;

    #[test]
    fn the_page_is_self_contained_with_tables() {
        let page = render(&sample());
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("<table>"));
        assert!(page.contains("<style>"));
        assert!(!page.contains("<script"));
        assert!(!page.contains("http-equiv"));
    }

    #[test]
    fn run_data_cannot_inject_markup() {
        let page = render(&sample());
        assert!(page.contains("Login fails &lt;loudly&gt;"), "{page}");
        assert!(!page.contains("<loudly>"));
        assert!(!page.contains("<oops"));
    }
}
