//! `--json`: one record per scenario, as a JSON array.

use serde::Serialize;

use super::{Level, Requirement, RunReport};

/// The record of one scenario in the JSON output.
#[derive(Debug, Serialize)]
pub struct ScenarioRecord<'a> {
    /// Feature name.
    pub feature: &'a str,
    /// Scenario name.
    pub scenario: &'a str,
    /// Tags, with their `@`.
    pub tags: &'a [String],
    /// `must` or `should`.
    pub level: Requirement,
    /// `PASSED`, `FAILED`, `WARNING` or `SKIPPED`.
    pub result: Level,
    /// Failure message or skip reason.
    pub reason: Option<&'a str>,
    /// Wall time in seconds.
    pub duration: f64,
}

/// The JSON document: an array of [`ScenarioRecord`].
pub fn render(report: &RunReport) -> String {
    let records: Vec<ScenarioRecord<'_>> = report
        .scenarios
        .iter()
        .map(|s| ScenarioRecord {
            feature: &s.feature,
            scenario: &s.scenario,
            tags: &s.tags,
            level: s.requirement,
            result: s.level,
            reason: s.reason.as_deref(),
            duration: (s.duration.as_secs_f64() * 1000.0).round() / 1000.0,
        })
        .collect();
    serde_json::to_string_pretty(&records).expect("scenario records serialize") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::tests::sample;

    #[test]
    fn each_scenario_is_one_record_with_its_level_and_result() {
        let value: serde_json::Value = serde_json::from_str(&render(&sample())).unwrap();
        let records = value.as_array().unwrap();
        assert_eq!(records.len(), 4);
        assert_eq!(records[2]["level"], "should");
        assert_eq!(records[2]["result"], "WARNING");
        assert_eq!(records[3]["result"], "SKIPPED");
        assert!(records[3]["reason"].as_str().unwrap().contains("mailbox"));
        assert_eq!(records[0]["duration"], 0.012);
        assert_eq!(records[0]["tags"][0], "@must");
    }
}
