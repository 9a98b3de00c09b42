//! Which documented (endpoint, status) pairs of the contract a run exercised, and by whom.

use crate::contract::{ENDPOINTS, Endpoint, Group};

use super::RunReport;

/// One documented status of one endpoint, with the scenarios that received it.
#[derive(Debug, Clone)]
pub struct CoveragePair {
    /// The endpoint.
    pub endpoint: &'static Endpoint,
    /// A status the contract documents for it.
    pub status: u16,
    /// Names of the scenarios that received this status from this endpoint (`feature / scenario`).
    pub scenarios: Vec<String>,
}

impl CoveragePair {
    /// Whether some scenario exercised the pair.
    pub fn is_covered(&self) -> bool {
        !self.scenarios.is_empty()
    }
}

/// Every (endpoint, documented status) pair of the 18 contract endpoints, in contract order.
pub fn coverage(report: &RunReport) -> Vec<CoveragePair> {
    let mut pairs: Vec<CoveragePair> = ENDPOINTS
        .iter()
        .filter(|e| e.group == Group::Auth)
        .flat_map(|endpoint| {
            endpoint
                .responses
                .iter()
                .map(move |(status, _)| CoveragePair {
                    endpoint,
                    status: *status,
                    scenarios: Vec::new(),
                })
        })
        .collect();
    for scenario in &report.scenarios {
        let name = format!("{} / {}", scenario.feature, scenario.scenario);
        for exchange in &scenario.exchanges {
            let Some(status) = exchange.status else {
                continue;
            };
            let hit = pairs.iter_mut().find(|p| {
                p.status == status
                    && p.endpoint.method.eq_ignore_ascii_case(&exchange.method)
                    && p.endpoint.matches_path(&exchange.path)
            });
            if let Some(pair) = hit
                && !pair.scenarios.contains(&name)
            {
                pair.scenarios.push(name.clone());
            }
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::tests::sample;

    #[test]
    fn pairs_list_every_documented_status_of_the_eighteen_endpoints() {
        let pairs = coverage(&sample());
        let login: Vec<u16> = pairs
            .iter()
            .filter(|p| p.endpoint.path == "/api/v1/auth/login")
            .map(|p| p.status)
            .collect();
        assert_eq!(login, vec![200, 400]);
        assert!(
            pairs
                .iter()
                .any(|p| p.endpoint.path == "/api/v1/auth/reset-password" && p.status == 410)
        );
    }

    #[test]
    fn a_pair_is_covered_by_the_scenarios_that_received_it() {
        let pairs = coverage(&sample());
        let ok = pairs
            .iter()
            .find(|p| p.endpoint.path == "/api/v1/auth/login" && p.status == 200)
            .unwrap();
        // Two scenarios got 200 from login in the sample (the passing one and the @should one).
        assert_eq!(ok.scenarios.len(), 2);
        let bad = pairs
            .iter()
            .find(|p| p.endpoint.path == "/api/v1/auth/login" && p.status == 400)
            .unwrap();
        assert!(!bad.is_covered());
    }
}
