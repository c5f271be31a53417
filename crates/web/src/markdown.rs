//! The markdown subset the clinic's documents are written in: `## headings`, paragraphs and
//! `- ` lists. Text is escaped; nothing else is interpreted.

use std::fmt::Write;

/// Renders the subset to HTML.
pub fn to_html(text: &str) -> String {
    let mut html = String::new();
    for block in text.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        if let Some(heading) = block.strip_prefix("## ") {
            let _ = write!(html, "<h2>{}</h2>", escape(heading));
        } else if let Some(heading) = block.strip_prefix("# ") {
            let _ = write!(html, "<h2>{}</h2>", escape(heading));
        } else {
            let mut lines = block.lines().peekable();
            let mut paragraph = Vec::new();
            while let Some(line) = lines.next() {
                if line.trim_start().starts_with("- ") {
                    if !paragraph.is_empty() {
                        let _ = write!(html, "<p>{}</p>", escape(&paragraph.join(" ")));
                        paragraph.clear();
                    }
                    html.push_str("<ul>");
                    let _ = write!(
                        html,
                        "<li>{}</li>",
                        escape(line.trim_start().trim_start_matches("- "))
                    );
                    while let Some(next) = lines.peek().filter(|l| l.trim_start().starts_with("- "))
                    {
                        let _ = write!(
                            html,
                            "<li>{}</li>",
                            escape(next.trim_start().trim_start_matches("- "))
                        );
                        lines.next();
                    }
                    html.push_str("</ul>");
                } else {
                    paragraph.push(line.trim());
                }
            }
            if !paragraph.is_empty() {
                let _ = write!(html, "<p>{}</p>", escape(&paragraph.join(" ")));
            }
        }
    }
    html
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_paragraphs_and_lists_render_and_html_is_escaped() {
        let html = to_html(
            "## 1. Общие положения\n\nТекст <b>абзаца</b>\nпродолжение.\n\nВводная:\n- первый\n- второй",
        );
        assert_eq!(
            html,
            "<h2>1. Общие положения</h2><p>Текст &lt;b&gt;абзаца&lt;/b&gt; продолжение.</p>\
             <p>Вводная:</p><ul><li>первый</li><li>второй</li></ul>"
        );
    }
}
