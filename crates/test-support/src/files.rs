//! Reading exported files back the way an accountant's tools do: `pdftotext` (poppler) for a
//! PDF's text, LibreOffice's headless Calc for an XLSX. Both are required: a test that needs
//! them fails, naming the package, when they are missing (`make report-tools` installs them).

#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "kh-files-{}-{}",
        std::process::id(),
        crate::random_suffix()
    ));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir.join(name)
}

/// The text of a PDF, as `pdftotext -layout` reads it.
pub fn pdf_text(pdf: &[u8]) -> String {
    let file = scratch("report.pdf");
    std::fs::write(&file, pdf).expect("the PDF is written");
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext runs (Debian package poppler-utils; `make report-tools`)");
    let _ = std::fs::remove_dir_all(file.parent().unwrap_or(Path::new(".")));
    assert!(
        out.status.success(),
        "pdftotext could not read the file: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("pdftotext writes UTF-8")
}

/// Each sheet of an XLSX as LibreOffice Calc reads it, saved as CSV (comma-separated, UTF-8,
/// cell values not as shown, so amounts come out as plain numbers), by sheet name.
/// LibreOffice refuses a broken file; a sheet missing from the output means it could not read
/// the workbook.
pub fn libreoffice_sheets(
    xlsx: &[u8],
    sheets: usize,
) -> std::collections::BTreeMap<String, String> {
    let file = scratch("book.xlsx");
    let dir = file.parent().expect("a folder").to_path_buf();
    std::fs::write(&file, xlsx).expect("the workbook is written");
    // Its own profile: two tests converting at once do not share (and lock) one.
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.display());
    let out = Command::new("soffice")
        .arg(&profile)
        .args(["--headless", "--norestore", "--convert-to"])
        // Separator 44 (,), quote 34 ("), UTF-8 (76), from line 1, values not as shown
        // (token 9 false), every sheet to its own file (token 12: -1).
        .arg("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1")
        .arg("--outdir")
        .arg(&dir)
        .arg(&file)
        .output()
        .expect("soffice runs (Debian package libreoffice-calc-nogui; `make report-tools`)");
    assert!(
        out.status.success(),
        "LibreOffice could not convert the workbook: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // One file per sheet: book-<sheet>.csv.
    let csv: std::collections::BTreeMap<String, String> = std::fs::read_dir(&dir)
        .expect("the output folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .map(|p| {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let sheet = stem.strip_prefix("book-").unwrap_or(&stem).to_owned();
            (
                sheet,
                std::fs::read_to_string(&p).expect("LibreOffice writes UTF-8"),
            )
        })
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        csv.len(),
        sheets,
        "LibreOffice read {} sheet(s) of the workbook, not {sheets}: {}",
        csv.len(),
        String::from_utf8_lossy(&out.stdout)
    );
    csv
}
