//! Opt-out, opt-in and help keywords (CTIA Messaging Principles; the carriers' standard set). A keyword counts only
//! as the whole message, in any case, with surrounding punctuation and whitespace ignored: "Stop." and " stop!! "
//! opt out, "please stop texting me" does not (a person reads those).

/// What an inbound message asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    /// Opt out of every campaign of the tenant.
    Stop,
    /// Opt back in.
    Start,
    /// Send the help text.
    Help,
}

const STOP: [&str; 9] = [
    "STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "END",
    "QUIT",
    "CANCEL",
    "REVOKE",
    "OPTOUT",
    "OPT OUT",
];
const START: [&str; 3] = ["START", "UNSTOP", "SUBSCRIBE"];
const HELP: [&str; 2] = ["HELP", "INFO"];

/// The keyword `text` is, if it is one.
pub fn classify(text: &str) -> Option<Keyword> {
    let trimmed = text.trim_matches(|c: char| {
        c.is_whitespace() || c.is_ascii_punctuation() || is_unicode_punctuation(c)
    });
    // "opt-out", "opt   out" and "Opt Out" are all OPT OUT: inner runs of spaces and hyphens become one space.
    let words: Vec<String> = trimmed
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .collect();
    let normalised = words.join(" ");
    let is = |list: &[&str]| list.contains(&normalised.as_str());
    if is(&STOP) {
        Some(Keyword::Stop)
    } else if is(&START) {
        Some(Keyword::Start)
    } else if is(&HELP) {
        Some(Keyword::Help)
    } else {
        None
    }
}

fn is_unicode_punctuation(c: char) -> bool {
    matches!(
        c,
        '¡' | '¿' | '…' | '“' | '”' | '‘' | '’' | '«' | '»' | '。' | '！' | '？'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stop_word_in_any_case_with_punctuation_and_whitespace() {
        for word in [
            "STOP",
            "stopall",
            "Unsubscribe",
            "end",
            "QUIT",
            "cancel",
            "revoke",
            "optout",
            "opt out",
        ] {
            for text in [
                word.to_owned(),
                format!("  {word}.  "),
                format!("{word}!!"),
                format!("\"{word}\""),
                format!("{word}\n"),
            ] {
                assert_eq!(classify(&text), Some(Keyword::Stop), "{text:?}");
            }
        }
        for text in ["Opt-Out", "opt   out", "OPT_OUT", "¡STOP!", "Stop…"] {
            assert_eq!(classify(text), Some(Keyword::Stop), "{text:?}");
        }
    }

    #[test]
    fn only_the_whole_message_counts() {
        for text in [
            "please stop",
            "stop it",
            "don't stop",
            "stopping",
            "weekend",
            "STOP STOP",
            "",
            "   ",
            "?!",
        ] {
            assert_eq!(classify(text), None, "{text:?}");
        }
    }

    #[test]
    fn start_and_help() {
        assert_eq!(classify("start"), Some(Keyword::Start));
        assert_eq!(classify(" Unstop! "), Some(Keyword::Start));
        assert_eq!(classify("HELP?"), Some(Keyword::Help));
        assert_eq!(classify("info"), Some(Keyword::Help));
    }
}
