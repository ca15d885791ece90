use std::process::Command;

#[test]
fn every_cypher_file_passes_neo4js_own_linter() {
    let root = env!("CARGO_MANIFEST_DIR");
    assert!(
        std::path::Path::new(root).join("node_modules/@neo4j-cypher/language-support").exists(),
        "Neo4j's linter is not installed: `make test` runs `npm ci` first"
    );
    let output = Command::new("node").arg("tools/lint-cypher.mjs").current_dir(root).output().expect("run node");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "the linter refused some Cypher:\n{report}");
    assert!(report.contains(" 0 problems"), "{report}");
}

#[test]
fn no_query_is_built_with_format() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let compact: String = text.split_whitespace().collect();
                if compact.contains("query(format!") || compact.contains("query(&format!") {
                    offenders.push(path.display().to_string());
                }
            }
        }
    }
    assert!(offenders.is_empty(), "queries built with format!: {offenders:?}");
}
