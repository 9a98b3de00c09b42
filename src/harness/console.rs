//! Where cucumber's own events go: its step-by-step display, or, under the progress display,
//! only the counts the run reads afterwards.
//!
//! The progress display used to run the step-by-step writer into a sink: every event was
//! queued for ordering, formatted with colours and thrown away, about 3 % of the run's main
//! thread (perf, `verify` against the embedded reference).

use std::fmt::Debug;
use std::io::Write;

use cucumber::event::{self, Hook};
use cucumber::writer::{self, Basic, Coloring, FailOnSkipped, Normalize, Summarize, Verbosity};
use cucumber::{Event, World, WriterExt as _, parser};

/// cucumber's step-by-step writer, as `cargo test` shows it.
type Steps<W> = FailOnSkipped<Summarize<Normalize<W, Basic<Box<dyn Write>>>>>;

/// The writer a run hands cucumber.
pub enum Console<W> {
    /// Every step as it finishes, then cucumber's summary, on standard output.
    Steps(Box<Steps<W>>),
    /// Nothing shown; parsing errors and failed hooks counted.
    Quiet(Tally),
}

impl<W: World + Debug> Console<W> {
    /// cucumber's step-by-step display on standard output.
    pub fn steps() -> Self {
        let basic: Normalize<W, _> = Basic::new(
            Box::new(std::io::stdout()) as Box<dyn Write>,
            Coloring::Auto,
            Verbosity::Default,
        );
        Self::Steps(Box::new(basic.summarized().fail_on_skipped()))
    }

    /// No display: the counts only.
    pub fn quiet() -> Self {
        Self::Quiet(Tally::default())
    }
}

impl<W: World + Debug> cucumber::Writer<W> for Console<W> {
    type Cli = writer::basic::Cli;

    async fn handle_event(
        &mut self,
        event: parser::Result<Event<event::Cucumber<W>>>,
        cli: &Self::Cli,
    ) {
        match self {
            Self::Steps(steps) => steps.handle_event(event, cli).await,
            Self::Quiet(tally) => tally.count(&event),
        }
    }
}

// cucumber runs only writers that see events in order: the step-by-step writer normalises its
// own (it is built with `Basic::new`), and counting does not depend on order.
impl<W> writer::Normalized for Console<W> {}

impl<W: World + Debug> writer::Stats<W> for Console<W> {
    fn passed_steps(&self) -> usize {
        match self {
            Self::Steps(steps) => steps.passed_steps(),
            Self::Quiet(tally) => tally.passed,
        }
    }

    fn skipped_steps(&self) -> usize {
        match self {
            Self::Steps(steps) => steps.skipped_steps(),
            Self::Quiet(tally) => tally.skipped,
        }
    }

    fn failed_steps(&self) -> usize {
        match self {
            Self::Steps(steps) => steps.failed_steps(),
            Self::Quiet(tally) => tally.failed,
        }
    }

    fn retried_steps(&self) -> usize {
        match self {
            Self::Steps(steps) => steps.retried_steps(),
            // The runner never retries (no `--retry` is passed through).
            Self::Quiet(_) => 0,
        }
    }

    fn parsing_errors(&self) -> usize {
        match self {
            Self::Steps(steps) => steps.parsing_errors(),
            Self::Quiet(tally) => tally.parsing_errors,
        }
    }

    fn hook_errors(&self) -> usize {
        match self {
            Self::Steps(steps) => steps.hook_errors(),
            Self::Quiet(tally) => tally.hook_errors,
        }
    }
}

/// Counts of what cucumber reported, without showing any of it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    passed: usize,
    skipped: usize,
    failed: usize,
    parsing_errors: usize,
    hook_errors: usize,
}

impl Tally {
    fn count<W>(&mut self, event: &parser::Result<Event<event::Cucumber<W>>>) {
        use event::{Cucumber, Feature, Rule, Scenario, Step};
        let scenario = match event.as_ref().map(|e| &e.value) {
            Err(_) => {
                self.parsing_errors += 1;
                return;
            }
            Ok(Cucumber::Feature(_, Feature::Scenario(_, scenario)))
            | Ok(Cucumber::Feature(_, Feature::Rule(_, Rule::Scenario(_, scenario)))) => {
                &scenario.event
            }
            Ok(_) => return,
        };
        match scenario {
            Scenario::Hook(_, Hook::Failed(..)) => self.hook_errors += 1,
            Scenario::Step(_, step) | Scenario::Background(_, step) => match step {
                Step::Passed(..) => self.passed += 1,
                Step::Skipped => self.skipped += 1,
                Step::Failed(..) => self.failed += 1,
                Step::Started => {}
            },
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use cucumber::event::{Cucumber, Feature, HookType, Rule, Scenario, Step};
    use cucumber::gherkin;

    use super::*;

    #[derive(Debug, Default, cucumber::World)]
    struct Nobody;

    fn feature() -> event::Source<gherkin::Feature> {
        let parsed = gherkin::Feature::parse(
            "Feature: f\n  Rule: r\n    Scenario: s\n      Given a step\n",
            gherkin::GherkinEnv::default(),
        )
        .expect("a valid feature");
        event::Source::new(parsed)
    }

    fn in_scenario(
        feature: &event::Source<gherkin::Feature>,
        ev: Scenario<Nobody>,
    ) -> Cucumber<Nobody> {
        let rule = event::Source::new(feature.rules[0].clone());
        let scenario = event::Source::new(rule.scenarios[0].clone());
        let step = event::Source::new(scenario.steps[0].clone());
        let ev = match ev {
            Scenario::Step(_, s) => Scenario::Step(step, s),
            other => other,
        };
        Cucumber::Feature(
            feature.clone(),
            Feature::Rule(
                rule,
                Rule::Scenario(
                    scenario,
                    event::RetryableScenario {
                        event: ev,
                        retries: None,
                    },
                ),
            ),
        )
    }

    #[test]
    fn counts_steps_hook_failures_and_parsing_errors() {
        let f = feature();
        let step = || event::Source::new(f.rules[0].scenarios[0].steps[0].clone());
        let events: Vec<parser::Result<Event<Cucumber<Nobody>>>> = vec![
            Ok(Event::new(Cucumber::Started)),
            Ok(Event::new(in_scenario(
                &f,
                Scenario::Step(step(), Step::Started),
            ))),
            Ok(Event::new(in_scenario(
                &f,
                Scenario::Step(step(), Step::Skipped),
            ))),
            Ok(Event::new(in_scenario(
                &f,
                Scenario::Step(
                    step(),
                    Step::Failed(None, None, None, event::StepError::NotFound),
                ),
            ))),
            Ok(Event::new(in_scenario(
                &f,
                Scenario::Hook(HookType::After, Hook::Failed(None, Arc::new("boom"))),
            ))),
            Err(parser::Error::Parsing(Arc::new(
                gherkin::ParseFileError::Reading {
                    path: "x.feature".into(),
                    source: std::io::Error::other("unreadable"),
                },
            ))),
        ];
        let mut tally = Tally::default();
        events.iter().for_each(|e| tally.count(e));
        assert_eq!(
            tally,
            Tally {
                passed: 0,
                skipped: 1,
                failed: 1,
                parsing_errors: 1,
                hook_errors: 1,
            }
        );
    }
}
