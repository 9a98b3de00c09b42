//! The feature files, parsed once per run: on the warm-up thread (for the progress count), then
//! handed to cucumber so that it does not parse them again.

use std::path::Path;

use cucumber::Parser as _;
use cucumber::gherkin::Feature;
use futures::StreamExt as _;

/// What parsing the feature files gave: features, and the files that failed (cucumber reports
/// those itself).
pub type Parsed = Vec<cucumber::parser::Result<Feature>>;

/// Parses the feature files under `dir` with cucumber's own parser, so the result is exactly what
/// cucumber would have parsed (sorted, outlines expanded).
pub fn parse(dir: &Path) -> Parsed {
    let stream = cucumber::parser::Basic::new().parse(dir, Default::default());
    // The basic parser works eagerly: its stream is a ready vector.
    futures::executor::block_on(stream.collect())
}

/// cucumber's parser with the features parsed beforehand, unless the command line names other
/// files (`--input`): then cucumber's parser reads those as usual.
pub struct Preparsed(pub Parsed);

impl<I: AsRef<Path>> cucumber::Parser<I> for Preparsed {
    type Cli = cucumber::parser::basic::Cli;
    type Output = futures::stream::Iter<std::vec::IntoIter<cucumber::parser::Result<Feature>>>;

    fn parse(self, input: I, cli: Self::Cli) -> Self::Output {
        if cli.features.is_some() {
            return cucumber::parser::Basic::new().parse(input, cli);
        }
        futures::stream::iter(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suite_parses_with_outlines_expanded() {
        let parsed = parse(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/features")));
        assert!(
            parsed.iter().all(Result::is_ok),
            "every feature file parses"
        );
        let outline_rows = parsed
            .iter()
            .flatten()
            .flat_map(|f| &f.scenarios)
            .filter(|s| !s.examples.is_empty())
            .count();
        assert!(outline_rows > 1, "outlines become one scenario per row");
    }

    #[test]
    fn files_that_do_not_parse_are_kept_as_errors() {
        let dir = std::env::temp_dir().join(format!("sfc-features-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("broken.feature"),
            "Feature: x\n  Scenario\n  nonsense\n",
        )
        .unwrap();
        let parsed = parse(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(parsed.len(), 1);
        assert!(parsed[0].is_err());
    }
}
