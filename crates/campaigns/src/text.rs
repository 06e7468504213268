//! Message text: a template the campaign author writes (minijinja, sandboxed), filled per recipient from contact
//! fields, attributes and region fields, e.g. `Hi {{ first_name|default("friend") }}, {{ district }} votes Tuesday`.
//! A field the contact lacks renders empty (so `default` works); a template that tries too much work is stopped.

use minijinja::{Environment, UndefinedBehavior};

/// Work a template may do per render, in minijinja's fuel units: ample for text messages, too little for a runaway
/// loop.
const FUEL: u64 = 20_000;

/// Why a template was refused or failed to render, with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct TemplateError {
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl From<minijinja::Error> for TemplateError {
    fn from(error: minijinja::Error) -> Self {
        let message = match error.detail() {
            Some(detail) => format!("{}: {detail}", error.kind()),
            None => error.kind().to_string(),
        };
        TemplateError {
            line: error.line(),
            message,
        }
    }
}

/// A checked message template.
#[derive(Debug)]
pub struct MessageTemplate {
    env: Environment<'static>,
}

const NAME: &str = "message";

impl MessageTemplate {
    /// Parses `source`; a syntax error names its line.
    pub fn compile(source: &str) -> Result<Self, TemplateError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Chainable);
        env.set_fuel(Some(FUEL));
        env.add_template_owned(NAME, source.to_owned())?;
        Ok(MessageTemplate { env })
    }

    /// The text for one recipient; `fields` is a JSON object of the contact's fields, attributes and regions.
    pub fn render(&self, fields: &serde_json::Value) -> Result<String, TemplateError> {
        let template = self.env.get_template(NAME)?;
        Ok(template.render(minijinja::Value::from(minijinja::value::Serde(fields)))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_defaults_and_regions_fill_the_text() {
        let template = MessageTemplate::compile(
            "Hi {{ first_name|default(\"friend\") }}, {{ district }} votes Tuesday.{% if \"healthcare\" in issues %} Care matters.{% endif %}",
        )
        .expect("valid");
        let ada = json!({"first_name": "Ada", "district": "PA-07", "issues": ["healthcare"]});
        assert_eq!(
            template.render(&ada).expect("renders"),
            "Hi Ada, PA-07 votes Tuesday. Care matters."
        );
        let nameless = json!({"district": "OH-03", "issues": []});
        assert_eq!(
            template.render(&nameless).expect("renders"),
            "Hi friend, OH-03 votes Tuesday."
        );
    }

    #[test]
    fn a_missing_field_renders_empty_even_when_chained() {
        let template =
            MessageTemplate::compile("[{{ attr.party }}][{{ nothing.at.all }}]").expect("valid");
        assert_eq!(template.render(&json!({})).expect("renders"), "[][]");
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let error = MessageTemplate::compile("Hello\n{{ first_name }\nbye").expect_err("refused");
        assert_eq!(error.line, Some(2), "{error}");
        assert!(error.to_string().starts_with("line 2: "), "{error}");
    }

    #[test]
    fn a_runaway_template_is_stopped() {
        let template = MessageTemplate::compile("{% for i in range(100000) %}{{ i }}{% endfor %}")
            .expect("valid");
        let error = template.render(&json!({})).expect_err("out of fuel");
        assert!(error.message.to_lowercase().contains("fuel"), "{error}");
    }
}
