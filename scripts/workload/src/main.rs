//! A small word-statistics tool: reads a text file with tokio, counts words matching a regex in a
//! BTreeMap, and prints the top entries as JSON. Its run time is the runtime probe of the
//! benchmark; its dependencies are what a typical Rust CLI builds.

use std::collections::BTreeMap;

use clap::{Parser, Subcommand};
use regex::Regex;
use serde::Serialize;
use tokio::io::AsyncReadExt;

/// Bumped by the benchmark before each rebuild.
const EDITION: u32 = 1;

#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Count the words of FILE and print the most frequent ones
    Words {
        file: std::path::PathBuf,
        /// How many to print
        #[arg(long, default_value_t = 20)]
        top: usize,
        /// Only words matching this regex
        #[arg(long, default_value = r"[A-Za-z][a-z]+")]
        pattern: String,
    },
    /// Write a generated text of N words to FILE
    Generate { file: std::path::PathBuf, words: usize },
}

#[derive(Serialize)]
struct Entry<'a> {
    word: &'a str,
    count: usize,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    match Cli::parse().command {
        Command::Words { file, top, pattern } => {
            let mut text = String::new();
            tokio::fs::File::open(&file).await?.read_to_string(&mut text).await?;
            let regex = Regex::new(&pattern)?;
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for word in regex.find_iter(&text) {
                *counts.entry(word.as_str().to_lowercase()).or_default() += 1;
            }
            let mut entries: Vec<Entry> = counts.iter().map(|(word, count)| Entry { word, count: *count }).collect();
            entries.sort_by(|a, b| b.count.cmp(&a.count).then(a.word.cmp(b.word)));
            entries.truncate(top);
            println!("{}", serde_json::to_string_pretty(&serde_json::json!({ "edition": EDITION, "top": entries }))?);
        }
        Command::Generate { file, words } => {
            const VOCABULARY: [&str; 16] = [
                "cargo", "profile", "preset", "Release", "debug", "Linker", "crate", "build", "optimise", "Binary", "tokio",
                "regex", "serde", "clap", "workspace", "rustc",
            ];
            let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
            let mut text = String::with_capacity(words * 8);
            for i in 0..words {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(VOCABULARY[(state % 16) as usize]);
                text.push(if i % 12 == 11 { '\n' } else { ' ' });
            }
            tokio::fs::write(&file, text).await?;
        }
    }
    Ok(())
}
