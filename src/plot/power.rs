//! The power curve of `trialstat power --n-range ... --plot FILE.png`: power against n per arm,
//! one line per effect size (or SD of a claim's range). Draws the numbers it is given; computes
//! nothing.

use super::frame::{draw_legend, err, line_key, mesh, plot_area, tick, Chart, OKABE_ITO};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Power curves: (label, [(n per arm, power)]).
pub struct PowerChart<'a> {
    pub curves: &'a [(String, Vec<(usize, f64)>)],
    pub design: &'a str,
}

impl Chart for PowerChart<'_> {
    fn file_stem(&self) -> String {
        "power_curve".to_string()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let ns = self
            .curves
            .iter()
            .flat_map(|c| c.1.iter().map(|p| p.0 as f64));
        let (lo, hi) = ns.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), n| {
            (a.min(n), b.max(n))
        });
        let (lo, hi) = if lo.is_finite() && hi > lo {
            (lo, hi)
        } else {
            (0.0, 1.0)
        };
        let caption = format!("Power by patients per arm ({})", self.design);
        let mut chart = plot_area(root, Some(&caption), (80, 110), lo..hi, 0.0..1.0)?;
        mesh(&mut chart)
            .x_desc("Patients per arm")
            .y_desc("Power")
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .draw()
            .map_err(err)?;
        for (i, (label, pts)) in self.curves.iter().enumerate() {
            let style = OKABE_ITO[i % OKABE_ITO.len()].stroke_width(4);
            chart
                .draw_series(LineSeries::new(
                    pts.iter().map(|&(n, p)| (n as f64, p)),
                    style,
                ))
                .map_err(err)?
                .label(label.clone())
                .legend(line_key(style, 28));
        }
        draw_legend(&mut chart, SeriesLabelPosition::LowerRight)?;
        Ok(())
    }
}
