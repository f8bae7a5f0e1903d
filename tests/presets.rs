//! Interim: summary of presets loaded from disk.
use std::path::Path;
use stockpile_planner::engine::{RunOptions, recommend};
use stockpile_planner::project::load_file;

#[test]
#[ignore]
fn summary() {
    let files = std::env::var("PRESET_FILES").unwrap_or_default();
    let paths: Option<u32> = std::env::var("PRESET_PATHS").ok().and_then(|p| p.parse().ok());
    for file in files.split_whitespace() {
        let loaded = match load_file(Path::new(file)) {
            Ok(l) => l,
            Err(e) => { println!("{file}: {e}"); continue; }
        };
        for w in &loaded.warnings { println!("{w}"); }
        let p = &loaded.project;
        let t0 = std::time::Instant::now();
        let r = recommend(p, &RunOptions { paths, ..Default::default() }).unwrap();
        println!("== {} ({:?})", p.name, t0.elapsed());
        for (m, mr) in p.materials.iter().zip(&r.materials) {
            println!("{:<20} a={:.3} Dbar={:>10.1} SS={:>10.1} buf={:>10.1} [{:.0},{:.0}] rec={:>10.1} days={:>6.1} share={:.2} on_hand={:.0} gap={:.0} P(out)={:.3} ES={:.0} hold/yr={:.0} alt_kg={:.0} alt_cost={:.0} costopt={:.0} cu={:.1} co={:.1} met={:?} buy_cost={:.0} vba={:.0}",
                m.id, mr.service_level, mr.mean_monthly_demand_kg, mr.safety_stock_kg, mr.strategic_buffer_kg,
                mr.strategic_buffer_ci95_kg[0], mr.strategic_buffer_ci95_kg[1], mr.recommended_stock_kg,
                mr.days_of_cover.unwrap_or(f64::NAN), mr.share_of_annual_consumption.unwrap_or(f64::NAN),
                mr.on_hand_kg, mr.gap_kg, mr.stockout_probability_at_on_hand, mr.expected_shortfall_kg_at_on_hand,
                mr.holding_cost_per_year, mr.expected_alternative_kg, mr.expected_alternative_extra_cost,
                mr.cost_optimal_strategic_stock_kg, mr.costs.underage_cost_per_kg, mr.costs.overage_cost_per_kg,
                mr.buildup.target_met_month, mr.buildup.cost, mr.buildup.value_of_buying_ahead);
            for (s, f) in p.scenarios.iter().zip(&mr.by_scenario) {
                println!("    {:<16} w={:.2} buf={:>10.1} mean={:>10.1} P(out)={:.3} runout med={:?} p10={:?}",
                    s.id, f.weight, f.strategic_buffer_kg, f.mean_buffer_kg, f.stockout_probability_at_on_hand,
                    f.run_out_month_median, f.run_out_month_p10);
            }
            let idx = &mr.monthly.price_index_per_kg;
            println!("    price idx m0={:.1} m3={:.1} m6={:.1} m12={:.1}; target m0={:.0} m12={:.0} m24={:.0}",
                idx[0], idx[3], idx[6], idx[12], mr.monthly.recommended_stock_kg[0], mr.monthly.recommended_stock_kg[12], mr.monthly.recommended_stock_kg[24]);
        }
    }
}
