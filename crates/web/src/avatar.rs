//! Generated portraits: an SVG with the specialist's initials on a colour of their own,
//! until the clinic uploads photos.

use std::fmt::Write;

/// Background colours dark enough for white initials (WCAG AA contrast).
const COLOURS: [&str; 8] =
    ["#1d4e89", "#2f5d50", "#6b3a6b", "#7a3b1d", "#2c4a6e", "#4a5a1f", "#5b3f8c", "#7a2840"];

/// An SVG portrait for a person with these names.
pub fn avatar_svg(id: i64, first_name: &str, last_name: &str) -> String {
    let initials: String =
        [last_name, first_name].iter().filter_map(|n| n.chars().next()).collect();
    let colour = COLOURS[usize::try_from(id.rem_euclid(8)).unwrap_or(0)];
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 120" width="120" height="120">
<rect width="120" height="120" rx="60" fill="{colour}"/>
<text x="60" y="60" dy="0.35em" text-anchor="middle" font-family="sans-serif" font-size="44" fill="#fff">{}</text>
</svg>"##,
        escape(&initials)
    );
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
