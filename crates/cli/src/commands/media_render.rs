//! `canvass media render TEMPLATE --var k=v … [--profile NAME] -o OUT`: a picture template (SVG or JSON layer
//! spec) or a video template (JSON with `body` and `intro`), told apart by content. Renders go content-addressed
//! into the data dir's blob store, so an identical second render is a cache hit (`"cached": true`).

use super::media_target::{self, Target};
use super::open;
use crate::args::{Global, MediaRenderArgs};
use crate::media_compose::BlobCache;
use crate::output;
use anyhow::{Context, anyhow, bail};
use canvass_media::ffmpeg::Ffmpeg;
use canvass_media::picture::{self, PictureTarget};
use canvass_media::render::{BatchRenderer, Template};
use canvass_media::video::VideoTarget;
use canvass_media::video::template::{self as video_template, VideoTemplate};
use canvass_types::TenantId;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub async fn run(g: &Global, tenant: TenantId, args: MediaRenderArgs) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.template)
        .with_context(|| format!("cannot read template {}", args.template.display()))?;
    let vars = parse_vars(&args.vars)?;
    let video = video_spec(&text);
    let app = open(g).await?;
    let wants_target = args.target.profile.is_some() || args.target.max_bytes.is_some();
    let target = if video.is_some() || wants_target {
        Some(media_target::resolve(&app, tenant, &args.target).await)
    } else {
        None
    };
    app.store.close().await;
    let target = target.transpose()?;
    let cache = BlobCache::new(
        app.blobs.clone(),
        app.config.blob_path().join("render-index"),
        tokio::runtime::Handle::current(),
    );
    // Absolute, because ffmpeg and ffprobe run in working folders of their own.
    let bodies = std::path::absolute(app.config.data_dir.join("video-bodies"))
        .context("cannot resolve the data dir")?;
    let template_path = args.template.clone();
    let mut facts = tokio::task::spawn_blocking(move || match video {
        Some(spec) => {
            let target = target.ok_or_else(|| anyhow!("a video template needs --profile NAME"))?;
            render_video(&template_path, spec, &vars, &target, &cache, &bodies)
        }
        None => render_picture(&template_path, &vars, target.as_ref(), &cache),
    })
    .await
    .context("the render thread failed")??;
    let bytes = facts.content;
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    if let Some(object) = facts.json.as_object_mut() {
        object.insert("template".into(), json!(args.template));
        object.insert("output".into(), json!(args.output));
        object.insert("bytes".into(), json!(bytes.len()));
    }
    output::json(&facts.json)?;
    Ok(ExitCode::SUCCESS)
}

/// A render's file and the JSON facts about it.
struct Facts {
    content: Vec<u8>,
    json: Value,
}

/// `name=value` pairs; a value may itself contain `=`.
fn parse_vars(pairs: &[String]) -> anyhow::Result<BTreeMap<String, String>> {
    let mut vars = BTreeMap::new();
    for pair in pairs {
        let Some((name, value)) = pair.split_once('=') else {
            bail!("--var {pair:?}: expected name=value");
        };
        if name.trim().is_empty() {
            bail!("--var {pair:?}: the name is empty");
        }
        vars.insert(name.trim().to_owned(), value.to_owned());
    }
    Ok(vars)
}

/// The video template in `text`, when it is one: a JSON object with `body` and `intro` (picture layer specs have
/// `background` and `layers`, SVG is not JSON).
fn video_spec(text: &str) -> Option<Value> {
    let value: Value = serde_json::from_str(text).ok()?;
    let object = value.as_object()?;
    (object.contains_key("body") && object.contains_key("intro")).then_some(value)
}

fn render_picture(
    path: &Path,
    vars: &BTreeMap<String, String>,
    target: Option<&Target>,
    cache: &BlobCache,
) -> anyhow::Result<Facts> {
    let template = Template::load(path)?;
    let mut batch = BatchRenderer::new(&template, cache);
    let rendered = batch.render(vars)?;
    let cached = batch.stats().reused == 1;
    let blob = cache
        .blob_key(&rendered.key)?
        .map(|k| k.as_str().to_owned());
    let mut json = json!({
        "kind": "picture",
        "type": rendered.mime,
        "width": rendered.width,
        "height": rendered.height,
        "fields": template.fields(),
        "key": rendered.key,
        "blob": blob,
        "cached": cached,
        "steps": [if cached { "render: from the blob store" } else { "render: painted and stored" }],
    });
    let mut content = rendered.bytes.to_vec();
    if let Some(target) = target {
        let picture_target = PictureTarget::from_profile(&target.profile, target.budget);
        let adapted = picture::adapt(&content, template.name(), &picture_target)?;
        json["type"] = json!(adapted.mime);
        json["width"] = json!(adapted.width);
        json["height"] = json!(adapted.height);
        json["quality"] = json!(adapted.jpeg_quality);
        if let Some(steps) = json["steps"].as_array_mut() {
            steps.extend(target.notes.iter().map(|n| json!(n)));
            steps.extend(adapted.steps.iter().map(|s| json!(s)));
        }
        json["profile"] = serde_json::to_value(&target.profile)?;
        content = adapted.bytes;
    }
    Ok(Facts { content, json })
}

fn render_video(
    path: &Path,
    spec: Value,
    vars: &BTreeMap<String, String>,
    target: &Target,
    cache: &BlobCache,
    bodies: &Path,
) -> anyhow::Result<Facts> {
    let mut template: VideoTemplate = serde_json::from_value(spec)
        .with_context(|| format!("template {}: not a video template", path.display()))?;
    // Files named in the template are relative to it, as for picture templates; made absolute because ffmpeg
    // runs in a working folder of its own.
    let base = std::path::absolute(path)
        .with_context(|| format!("template {}", path.display()))?
        .parent()
        .map_or_else(|| PathBuf::from("/"), Path::to_owned);
    // (`join` keeps an absolute path as it is.)
    template.body = base.join(&template.body);
    template.intro.font = template.intro.font.as_deref().map(|f| base.join(f));
    let video_target = VideoTarget::from_profile(&target.profile, Some(target.budget))?;
    let ff = Ffmpeg::default();
    let prepared = video_template::prepare(&ff, &template, &video_target, bodies)?;
    let rendered = video_template::render(&ff, &prepared, vars, cache)?;
    let blob = cache
        .store_file(&rendered.bytes)
        .context("cannot store the video in the blob store")?;
    let mut steps: Vec<String> = target.notes.clone();
    steps.extend(prepared.steps.iter().cloned());
    steps.push(if rendered.intro_cached {
        "intro: from the blob store".to_owned()
    } else {
        "intro: encoded and stored".to_owned()
    });
    let facts = &rendered.facts;
    let json = json!({
        "kind": "video",
        "type": facts.mime,
        "width": facts.width,
        "height": facts.height,
        "duration_s": facts.duration_s,
        "bitrate_bps": facts.bitrate_bps,
        "codecs": [Some(&facts.video_codec), facts.audio_codec.as_ref()],
        "key": rendered.intro_key,
        "blob": blob,
        "cached": rendered.intro_cached,
        "steps": steps,
        "profile": target.profile,
    });
    Ok(Facts {
        content: rendered.bytes,
        json,
    })
}
