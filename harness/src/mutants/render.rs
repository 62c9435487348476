//! The kill matrix as the terminal prints it and as `mutants.md`.

use super::compare::{Change, KillMatrix, MutantRow, Standing};

/// The columns of both tables.
const HEADER: [&str; 5] = ["mutant", "breaks", "killed by", "blocked", "verdict"];

/// The five cells of a mutant's table row.
fn row_cells(row: &MutantRow) -> [String; 5] {
    let on: Vec<&str> = row.on_target().map(|k| k.case.as_str()).collect();
    let off = row.kills.len() - on.len();
    let mut killed_by = if on.is_empty() {
        "-".to_owned()
    } else {
        on.join(", ")
    };
    if off > 0 {
        killed_by += &format!(" (+{off} off target)");
    }
    [
        row.target.clone(),
        row.breaks.join(", "),
        killed_by,
        row.blocked.len().to_string(),
        row.standing.as_str().to_owned(),
    ]
}

/// The table, then each mutant's kills and changes, then what makes the
/// comparison fail, then a count.
pub fn text(matrix: &KillMatrix) -> String {
    let rows: Vec<[String; 5]> = matrix.mutants.iter().map(row_cells).collect();
    let mut widths = HEADER.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(&HEADER.map(str::to_owned));
    for row in &rows {
        out += &line(row);
    }
    for row in &matrix.mutants {
        out += &format!("\n{} (from {}): {}\n", row.target, row.parent, row.does);
        for kill in &row.kills {
            let aim = kill.aim();
            out += &format!(
                "  kill     {} ({}, {aim}): {}\n",
                kill.case,
                kill.spec,
                one_line(kill.reason.as_deref())
            );
        }
        // The setup step and its answer are in mutants.md and mutants.json.
        for change in &row.blocked {
            out += &format!("  blocked  {}\n", change.case);
        }
        for change in &row.other {
            out += &format!("  changed  {}\n", changed(change));
        }
    }
    out += &problems(matrix).concat();
    out += &format!("\n{}\n", count(matrix));
    out
}

/// `mutants.md`: the table, each mutant's kills and changes, the problems.
pub fn markdown(matrix: &KillMatrix) -> String {
    let mut out = String::from("# Mutants\n\n");
    out += &format!("{}\n\n", count(matrix));
    out += &format!("| {} |\n|---|---|---|---|---|\n", HEADER.join(" | "));
    for row in &matrix.mutants {
        let cells = row_cells(row).map(|c| md(&c));
        out += &format!("| {} |\n", cells.join(" | "));
    }
    for row in &matrix.mutants {
        out += &format!(
            "\n## {}\n\nFrom `{}`; {}.\n\n",
            row.target,
            row.parent,
            md(&row.does)
        );
        for kill in &row.kills {
            let aim = kill.aim();
            out += &format!(
                "- kill `{}` ({}, {aim}): {}\n",
                kill.case,
                kill.spec,
                md(&one_line(kill.reason.as_deref()))
            );
        }
        for change in &row.blocked {
            let why = md(&one_line(change.reason.as_deref()));
            out += &format!("- blocked `{}`: {why}\n", change.case);
        }
        for change in &row.other {
            out += &format!("- changed {}\n", md(&changed(change)));
        }
    }
    for problem in problems(matrix) {
        out += &md(&problem);
    }
    out
}

/// `case: parent → mutant: reason`.
fn changed(change: &Change) -> String {
    format!(
        "{}: {} → {}: {}",
        change.case,
        change.parent.as_str(),
        change.mutant.as_str(),
        one_line(change.reason.as_deref())
    )
}

/// What makes the command fail besides a surviving mutant, one line each.
fn problems(matrix: &KillMatrix) -> Vec<String> {
    let mut out: Vec<String> = matrix
        .parent_errors
        .iter()
        .map(|e| format!("\nerror on a clean parent: {e}\n"))
        .collect();
    if matrix.interrupted {
        out.push("\ninterrupted: the comparison covers the cells that finished\n".into());
    }
    out
}

/// `2 mutants: 1 killed, 1 survive, 0 did not run`.
fn count(matrix: &KillMatrix) -> String {
    let of = |s: Standing| matrix.mutants.iter().filter(|m| m.standing == s).count();
    let n = matrix.mutants.len();
    format!(
        "{n} mutant{}: {} killed, {} survive, {} did not run",
        if n == 1 { "" } else { "s" },
        of(Standing::Killed),
        of(Standing::Survives),
        of(Standing::Error)
    )
}

fn one_line(text: Option<&str>) -> String {
    text.unwrap_or("-")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` safe in a Markdown table cell.
fn md(text: &str) -> String {
    text.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', " ")
}
