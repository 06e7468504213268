//! A SMIL generator for MMS slideshows (the MMS SMIL profile of 3GPP TS 26.140 / OMA "MMS Conformance"): a
//! root-layout with an `Image` region on top and a `Text` region below, and one `<par>` per slide, which is
//! the layout handsets render reliably.

/// The visual of a slide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visual {
    /// An image part, by its Content-Location.
    Image(String),
    /// A video part, by its Content-Location.
    Video(String),
}

/// One slide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slide {
    /// Image or video, if any.
    pub visual: Option<Visual>,
    /// A text part's Content-Location, if any.
    pub text: Option<String>,
    /// Display time in milliseconds.
    pub duration_ms: u32,
}

/// Screen size of the root-layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            width: 320,
            height: 480,
        }
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Writes the SMIL document for `slides`.
pub fn generate(slides: &[Slide], layout: Layout) -> String {
    let has_text = slides.iter().any(|s| s.text.is_some());
    let has_visual = slides.iter().any(|s| s.visual.is_some());
    // Give the image the whole screen when no slide has text, and the text all of it when none has a visual.
    let image_pct = match (has_visual, has_text) {
        (true, true) => 70,
        (true, false) => 100,
        (false, _) => 0,
    };
    let mut out = String::from("<smil><head><layout>");
    out.push_str(&format!(
        "<root-layout width=\"{}\" height=\"{}\"/>",
        layout.width, layout.height
    ));
    if has_visual {
        out.push_str(&format!(
            "<region id=\"Image\" top=\"0%\" left=\"0%\" width=\"100%\" height=\"{image_pct}%\" fit=\"meet\"/>"
        ));
    }
    if has_text {
        out.push_str(&format!(
            "<region id=\"Text\" top=\"{image_pct}%\" left=\"0%\" width=\"100%\" height=\"{}%\" fit=\"scroll\"/>",
            100 - image_pct
        ));
    }
    out.push_str("</layout></head><body>");
    for slide in slides {
        out.push_str(&format!("<par dur=\"{}ms\">", slide.duration_ms));
        match &slide.visual {
            Some(Visual::Image(src)) => {
                out.push_str(&format!("<img src=\"{}\" region=\"Image\"/>", escape(src)))
            }
            Some(Visual::Video(src)) => out.push_str(&format!(
                "<video src=\"{}\" region=\"Image\"/>",
                escape(src)
            )),
            None => {}
        }
        if let Some(src) = &slide.text {
            out.push_str(&format!("<text src=\"{}\" region=\"Text\"/>", escape(src)));
        }
        out.push_str("</par>");
    }
    out.push_str("</body></smil>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_and_text_slides() {
        let slides = [
            Slide {
                visual: Some(Visual::Image("a&b.jpg".into())),
                text: Some("t1.txt".into()),
                duration_ms: 5000,
            },
            Slide {
                visual: Some(Visual::Video("v.mp4".into())),
                text: None,
                duration_ms: 8000,
            },
        ];
        let smil = generate(&slides, Layout::default());
        assert!(smil.contains("<root-layout width=\"320\" height=\"480\"/>"));
        assert!(
            smil.contains(
                "<region id=\"Image\" top=\"0%\" left=\"0%\" width=\"100%\" height=\"70%\""
            )
        );
        assert!(smil.contains("<region id=\"Text\" top=\"70%\""));
        assert!(smil.contains(
            "<par dur=\"5000ms\"><img src=\"a&amp;b.jpg\" region=\"Image\"/><text src=\"t1.txt\""
        ));
        assert!(smil.contains("<video src=\"v.mp4\" region=\"Image\"/>"));
        assert_eq!(smil.matches("<par ").count(), 2);
    }
}
