//! `index.html`: one self-contained page (no network needed) with the
//! matrix coloured by outcome, filters by XEP and outcome, and behind every cell
//! the spec quote, the reason and each actor's wire log with the mismatch
//! highlighted. A cell can be linked to as `index.html#cell=CASE@TARGET`.

use crate::matrix::Matrix;

const PAGE: &str = include_str!("page.html");
const SLOT: &str = "/*XEPSPEC_DATA*/";

/// The page with `matrix` embedded as JSON.
pub fn html(matrix: &Matrix) -> Result<String, String> {
    let json = serde_json::to_string(matrix).map_err(|e| e.to_string())?;
    // Inside <script>, only "</" can end the element early; "<\/" is the
    // same JSON string.
    let json = json.replace("</", "<\\/");
    Ok(PAGE.replacen(SLOT, &json, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_cannot_close_the_script_element() {
        let mut matrix = Matrix::new(Vec::new(), Vec::new(), Vec::new());
        matrix.shard = Some("</script><script>alert(1)</script>".into());
        let page = html(&matrix).expect("renders");
        assert!(!page.contains("</script><script>alert(1)"));
        assert!(page.contains("<\\/script>"));
        assert!(!page.contains(SLOT));
    }
}
