use reqwest::Method;
use serde_json::Value;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_openapi_document_is_served_without_a_key_and_lists_every_endpoint_with_its_methods() {
    let app = spawn_app().await;
    let answer = app.call_with(None, Method::GET, "/api/v1/openapi.json", None).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let document = answer.body;
    let version = document["openapi"].as_str().expect("an openapi version");
    assert!(version.starts_with("3."), "OpenAPI 3.x, not {version}");
    assert!(document["info"]["title"].is_string());
    let expected: [(&str, &[&str]); 8] = [
        ("/members", &["post"]),
        ("/members/{phone}", &["get"]),
        ("/members/{phone}/downline", &["get"]),
        ("/members/{phone}/sponsor", &["put"]),
        ("/orders", &["post"]),
        ("/orders/{order_id}", &["get"]),
        ("/orders/{order_id}/refund", &["post"]),
        ("/params", &["get", "put"]),
    ];
    let paths = document["paths"].as_object().expect("paths");
    for (path, methods) in expected {
        let item = paths.get(path).unwrap_or_else(|| panic!("no path {path} in {:?}", paths.keys().collect::<Vec<_>>()));
        let mut listed: Vec<&str> = item
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|k| ["get", "put", "post", "delete", "patch", "head", "options", "trace"].contains(k))
            .collect();
        listed.sort_unstable();
        assert_eq!(listed, methods, "the methods of {path}");
    }
    let servers: Vec<&str> = document["servers"].as_array().unwrap().iter().map(|s| s["url"].as_str().unwrap()).collect();
    assert_eq!(servers, ["/api/v1"], "the paths are relative to /api/v1");
    let scheme = &document["components"]["securitySchemes"]["bearer"];
    assert_eq!((scheme["type"].as_str(), scheme["scheme"].as_str()), (Some("http"), Some("bearer")), "{scheme}");
    let intake_security = &document["paths"]["/orders"]["post"]["security"];
    assert_eq!(intake_security[0]["bearer"], serde_json::json!(["orders:write"]), "{intake_security}");
    let params_put_security = &document["paths"]["/params"]["put"]["security"];
    assert_eq!(params_put_security[0]["bearer"], serde_json::json!(["admin"]), "{params_put_security}");
}

#[tokio::test]
async fn every_response_schema_the_document_references_is_defined() {
    let app = spawn_app().await;
    let document = app.call_with(None, Method::GET, "/api/v1/openapi.json", None).await.body;
    let mut references = Vec::new();
    collect_refs(&document, &mut references);
    assert!(!references.is_empty());
    for reference in references {
        let name = reference.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("unexpected $ref {reference}"));
        assert!(document["components"]["schemas"].get(name).is_some(), "{reference} is not defined");
    }
}

fn collect_refs(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match (key.as_str(), item) {
                    ("$ref", Value::String(target)) => into.push(target.clone()),
                    _ => collect_refs(item, into),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, into)),
        _ => {}
    }
}

#[tokio::test]
async fn unknown_endpoints_and_methods_under_the_api_answer_404_not_found_in_the_error_body() {
    let app = spawn_app().await;
    for (method, path) in [
        (Method::GET, "/api/v1/nothing-here"),
        (Method::POST, "/api/v1/members/13800000000/nonsense"),
        (Method::GET, "/api/v1/orders/o-1/refund/extra"),
        (Method::GET, "/api/v1"),
        (Method::DELETE, "/api/v1/nothing-here"),
        (Method::DELETE, "/api/v1/orders/o-1"),
        (Method::POST, "/api/v1/params"),
    ] {
        for key in [None, Some(app.key.as_str())] {
            let answer = app.call_with(key, method.clone(), path, None).await;
            assert_eq!((answer.status, answer.code()), (404, "not_found"), "{method} {path} (key: {})", key.is_some());
            assert!(answer.body["error"]["message"].is_string(), "{}", answer.body);
        }
    }
}
