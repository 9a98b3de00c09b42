//! `--junit`: JUnit XML that GitLab, GitHub and Jenkins ingest.
//!
//! One testsuite per feature, one testcase per scenario named after the scenario (stable across
//! runs), classname = the feature file. FAILED scenarios are `<failure>`; SKIPPED ones are
//! `<skipped>` with the reason; WARNING scenarios pass (they do not gate) but carry the warning
//! in their `system-out` and a `level=WARNING` property, so a reader sees them.

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::{Level, RunReport};

/// The JUnit XML document.
pub fn render(report: &RunReport) -> String {
    let mut junit = Report::new("spatialflow-conformance");
    junit.set_timestamp(report.started_at.fixed_offset());
    junit.set_time(report.duration);
    for (feature, scenarios) in report.by_feature() {
        let mut suite = TestSuite::new(feature);
        suite.add_property(Property::new("target", report.target.as_str()));
        for scenario in scenarios {
            let reason = scenario.reason.clone().unwrap_or_default();
            let status = match scenario.level {
                Level::Passed | Level::Warning => TestCaseStatus::success(),
                Level::Skipped => {
                    let mut status = TestCaseStatus::skipped();
                    status.set_message(reason.as_str());
                    status
                }
                Level::Failed => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status.set_message(first_line(&reason));
                    status.set_type(format!("{:?}", scenario.requirement).to_lowercase());
                    status.set_description(failure_description(scenario));
                    status
                }
            };
            let mut case = TestCase::new(scenario.scenario.as_str(), status);
            case.set_classname(scenario.feature_file.as_str());
            case.set_time(scenario.duration);
            case.add_property(Property::new("level", scenario.level.as_str()));
            case.add_property(Property::new(
                "requirement",
                format!("{:?}", scenario.requirement).to_lowercase(),
            ));
            if scenario.level == Level::Warning {
                case.set_system_out(format!("WARNING: {reason}"));
            }
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    junit.to_string().expect("JUnit XML serializes")
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

fn failure_description(scenario: &super::ScenarioReport) -> String {
    let mut text = scenario.reason.clone().unwrap_or_default();
    if let Some(expected) = &scenario.expected {
        text.push_str(&format!("\nexpected: {expected}"));
    }
    if let Some(evidence) = &scenario.evidence {
        text.push_str(&format!(
            "\n\n{}\n\n{}",
            evidence.request, evidence.response
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::tests::sample;

    #[test]
    fn one_suite_per_feature_and_one_case_per_scenario() {
        let xml = render(&sample());
        assert_eq!(xml.matches("<testsuite ").count(), 2, "{xml}");
        assert_eq!(xml.matches("<testcase ").count(), 4);
        assert!(xml.contains(r#"name="Login""#));
        assert!(xml.contains(r#"classname="login.feature""#));
    }

    #[test]
    fn failures_skips_and_warnings_are_marked_and_escaped() {
        let xml = render(&sample());
        assert_eq!(xml.matches("<failure").count(), 1, "{xml}");
        assert!(xml.contains("expected status 200, got 500"));
        assert!(xml.contains("Login fails &lt;loudly&gt;"));
        assert!(xml.contains("&lt;oops &amp;"));
        assert_eq!(xml.matches("<skipped").count(), 1);
        assert!(xml.contains("WARNING: cookie access_token lacks HttpOnly"));
        assert!(xml.contains(r#"value="WARNING""#));
    }
}
