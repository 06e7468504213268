//! SVG templates: the flexible path. The SVG text holds `{{placeholders}}`; a render fills them (XML-escaped),
//! lets usvg lay the text out (shaping, bidi and font fallback over the system fonts) and resvg paint it.
//!
//! Two conventions on top of plain SVG:
//! - `data-fit-width="600"` on a `<text>` with an `id`: if the laid-out text is wider, its `font-size` is
//!   reduced so it fits (the template must set `font-size` as an attribute, not inline `style`, which wins over
//!   the override);
//! - `href`s may hold placeholders (a candidate's photo per region); a picture that does not exist is an error,
//!   not a silently blank region.

use std::path::{Path, PathBuf};

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{self, Node, Tree};

use super::fonts;
use super::layers::template_error;
use super::placeholder::{Fields, Pattern};
use crate::Result;

/// A loaded SVG template.
pub(crate) struct SvgTemplate {
    name: String,
    source: Pattern,
    hrefs: Vec<Pattern>,
    fits: Vec<(String, f32)>,
    base_dir: PathBuf,
    width: u32,
    height: u32,
}

impl SvgTemplate {
    /// Splits the source, and parses it once with every field set to a sample value to check fonts and size.
    pub(crate) fn load(name: &str, text: &str, base_dir: &Path) -> Result<SvgTemplate> {
        let source = Pattern::parse(text).map_err(|e| template_error(name, e))?;
        let hrefs = attribute_values(text, "href")
            .iter()
            .map(|v| Pattern::parse(v).map_err(|e| template_error(name, e)))
            .collect::<Result<Vec<_>>>()?;
        let fits = text_elements(text)
            .into_iter()
            .filter_map(|attrs| {
                let width = attrs
                    .iter()
                    .find(|(k, _)| k == "data-fit-width")?
                    .1
                    .parse::<f32>()
                    .ok()?;
                let id = attrs.iter().find(|(k, _)| k == "id")?.1.clone();
                Some((id, width))
            })
            .collect();
        let mut template = SvgTemplate {
            name: name.to_owned(),
            source,
            hrefs,
            fits,
            base_dir: base_dir.to_owned(),
            width: 0,
            height: 0,
        };
        let sample: Vec<(String, String)> = template
            .source
            .fields()
            .map(|f| (f.to_owned(), "Sample".to_owned()))
            .collect();
        let sample: Vec<(&str, &str)> = sample
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let filled = template
            .source
            .fill(sample.as_slice(), true)
            .map_err(|f| template_error(name, format!("field `{f}`")))?;
        let tree = template.parse(&filled)?;
        template.check_fonts(text)?;
        for href in template.hrefs.iter().filter(|h| h.is_static()) {
            template.check_href(&href.fill(sample.as_slice(), false).unwrap_or_default())?;
        }
        let size = tree.size().to_int_size();
        (template.width, template.height) = (size.width(), size.height());
        Ok(template)
    }

    fn parse(&self, text: &str) -> Result<Tree> {
        let options = usvg::Options {
            resources_dir: Some(self.base_dir.clone()),
            fontdb: fonts::database(),
            ..usvg::Options::default()
        };
        Tree::from_str(text, &options)
            .map_err(|e| template_error(&self.name, format!("invalid SVG: {e}")))
    }

    /// Refuses a `font-family` (attribute or CSS) whose first family is a named one that is not installed: the
    /// renderer would silently substitute another font.
    fn check_fonts(&self, text: &str) -> Result<()> {
        const GENERIC: &[&str] = &[
            "serif",
            "sans-serif",
            "monospace",
            "cursive",
            "fantasy",
            "system-ui",
            "inherit",
        ];
        let db = fonts::database();
        let mut lists = attribute_values(text, "font-family");
        let mut rest = text;
        while let Some(at) = rest.find("font-family:") {
            let after = &rest[at + "font-family:".len()..];
            let end = after
                .find([';', '"', '}', '\'', '>'])
                .unwrap_or(after.len());
            lists.push(after[..end].to_owned());
            rest = &after[end..];
        }
        for list in lists {
            let first = list
                .split(',')
                .next()
                .unwrap_or_default()
                .trim()
                .trim_matches(['"', '\''])
                .trim();
            if first.is_empty()
                || first.contains("{{")
                || GENERIC.iter().any(|g| g.eq_ignore_ascii_case(first))
            {
                continue;
            }
            let installed = db.faces().any(|f| {
                f.families
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case(first))
            });
            if !installed {
                return Err(template_error(
                    &self.name,
                    format!("font `{first}` is not installed"),
                ));
            }
        }
        Ok(())
    }

    fn check_href(&self, href: &str) -> Result<()> {
        if href.starts_with("data:") || href.starts_with('#') || href.is_empty() {
            return Ok(());
        }
        if !self.base_dir.join(href).is_file() {
            return Err(template_error(
                &self.name,
                format!("image `{href}` not found"),
            ));
        }
        Ok(())
    }

    pub(crate) fn fields(&self) -> Vec<String> {
        let mut fields: Vec<String> = self.source.fields().map(str::to_owned).collect();
        fields.sort();
        fields.dedup();
        fields
    }

    pub(crate) fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// The filled SVG text (values XML-escaped): what a render parses.
    pub(crate) fn fill(&self, fields: &(impl Fields + ?Sized)) -> Result<String> {
        let missing =
            |field: String| template_error(&self.name, format!("field `{field}` has no value"));
        for href in &self.hrefs {
            self.check_href(&href.fill(fields, false).map_err(missing)?)?;
        }
        self.source.fill(fields, true).map_err(missing)
    }

    /// The personalised picture as packed RGB over white.
    pub(crate) fn render_rgb(&self, fields: &(impl Fields + ?Sized)) -> Result<Vec<u8>> {
        let filled = self.fill(fields)?;
        let mut tree = self.parse(&filled)?;
        let overrides = self.shrink_overrides(&tree);
        if !overrides.is_empty() {
            tree = self.parse(&with_style(&filled, &overrides))?;
        }
        let mut pixmap = Pixmap::new(self.width, self.height)
            .ok_or_else(|| template_error(&self.name, "empty picture".into()))?;
        pixmap.fill(Color::WHITE);
        resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
        // Opaque after the white fill, so the premultiplied values are the colours.
        Ok(pixmap
            .data()
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect())
    }

    /// CSS rules shrinking each fit-width text that came out too wide.
    fn shrink_overrides(&self, tree: &Tree) -> String {
        let mut css = String::new();
        for (id, max_width) in &self.fits {
            let Some(Node::Text(text)) = tree.node_by_id(id) else {
                continue;
            };
            let width = text.abs_bounding_box().width();
            let Some(size) = text
                .chunks()
                .first()
                .and_then(|c| c.spans().first())
                .map(|s| s.font_size().get())
            else {
                continue;
            };
            if width > *max_width {
                let fitted = (size * max_width / width * 0.99).max(1.0);
                css.push_str(&format!("#{id}{{font-size:{fitted:.2}px}}"));
            }
        }
        css
    }
}

/// Inserts a `<style>` element right after the root element's start tag.
fn with_style(svg: &str, css: &str) -> String {
    let Some(root) = svg.find("<svg") else {
        return svg.to_owned();
    };
    let Some(end) = svg[root..].find('>').map(|i| root + i + 1) else {
        return svg.to_owned();
    };
    format!("{}<style>{css}</style>{}", &svg[..end], &svg[end..])
}

/// Values of every `name="…"` (or `xlink:name="…"`) attribute in the text.
fn attribute_values(svg: &str, name: &str) -> Vec<String> {
    let mut values = Vec::new();
    for quote in ['"', '\''] {
        let needle = format!("{name}={quote}");
        let mut rest = svg;
        while let Some(at) = rest.find(&needle) {
            let preceded_ok = rest[..at]
                .chars()
                .last()
                .is_none_or(|c| c.is_whitespace() || c == ':');
            let after = &rest[at + needle.len()..];
            let Some(end) = after.find(quote) else { break };
            if preceded_ok {
                values.push(after[..end].to_owned());
            }
            rest = &after[end..];
        }
    }
    values
}

/// The attributes of every `<text>` start tag, as written.
fn text_elements(svg: &str) -> Vec<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(at) = rest.find("<text") {
        let tag = &rest[at + 5..];
        let end = tag.find('>').unwrap_or(tag.len());
        if tag.starts_with(|c: char| c.is_whitespace()) {
            out.push(parse_attributes(&tag[..end]));
        }
        rest = &tag[end..];
    }
    out
}

fn parse_attributes(mut text: &str) -> Vec<(String, String)> {
    let mut attrs = Vec::new();
    while let Some(eq) = text.find('=') {
        let key = text[..eq]
            .trim()
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or_default()
            .to_owned();
        let after = text[eq + 1..].trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let Some(end) = after[1..].find(quote) else {
            break;
        };
        attrs.push((key, after[1..1 + end].to_owned()));
        text = &after[end + 2..];
    }
    attrs
}
