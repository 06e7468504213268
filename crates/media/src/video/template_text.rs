//! The intro's personalised text: `{{field}}` placeholders filled from the recipient's variables. The result only
//! ever reaches ffmpeg through a text file read with `expansion=none`, never through a filter string.

use std::collections::BTreeMap;

use crate::{Error, Result};

/// Longest intro text after substitution, in characters: a two-second card holds a line or two.
pub const MAX_INTRO_CHARS: usize = 200;

/// Fills `{{name}}` placeholders (spaces inside the braces allowed) from `vars`. A missing variable or an unclosed
/// placeholder is [`Error::Template`]. Control characters other than line breaks are dropped.
pub fn fill(template: &str, text: &str, vars: &BTreeMap<String, String>) -> Result<String> {
    let fail = |reason: String| Error::Template {
        template: template.to_owned(),
        reason,
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| fail("an unclosed {{ in the intro text".into()))?;
        let name = after[..end].trim();
        let value = vars
            .get(name)
            .ok_or_else(|| fail(format!("the intro needs the variable {name:?}")))?;
        out.push_str(value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    let clean: String = out
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect();
    let clean = clean.trim().to_owned();
    if clean.chars().count() > MAX_INTRO_CHARS {
        return Err(fail(format!(
            "the intro text is longer than {MAX_INTRO_CHARS} characters"
        )));
    }
    Ok(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> BTreeMap<String, String> {
        [("first_name".to_owned(), "Ann %{pts} '\\".to_owned())]
            .into_iter()
            .collect()
    }

    #[test]
    fn fills_placeholders_and_keeps_special_characters_verbatim() {
        let text = fill("t", "Hi {{ first_name }}!\nVote\u{7}", &vars()).unwrap();
        assert_eq!(text, "Hi Ann %{pts} '\\!\nVote");
    }

    #[test]
    fn missing_and_unclosed_placeholders_are_template_errors() {
        assert!(matches!(
            fill("t", "Hi {{last_name}}", &vars()),
            Err(Error::Template { .. })
        ));
        assert!(matches!(
            fill("t", "Hi {{first_name", &vars()),
            Err(Error::Template { .. })
        ));
    }
}
