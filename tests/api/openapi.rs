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
        ("/members", &["get", "post"]),
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
async fn unknown_endpoints_under_the_api_answer_404_not_found_in_the_error_body() {
    let app = spawn_app().await;
    for (method, path) in [
        (Method::GET, "/api/v1/nothing-here"),
        (Method::POST, "/api/v1/members/13800000000/nonsense"),
        (Method::GET, "/api/v1/orders/o-1/refund/extra"),
        (Method::GET, "/api/v1"),
        (Method::DELETE, "/api/v1/nothing-here"),
    ] {
        for key in [None, Some(app.key.as_str())] {
            let answer = app.call_with(key, method.clone(), path, None).await;
            assert_eq!((answer.status, answer.code()), (404, "not_found"), "{method} {path} (key: {})", key.is_some());
            assert!(answer.body["error"]["message"].is_string(), "{}", answer.body);
        }
    }
}

#[tokio::test]
async fn a_wrong_method_on_an_endpoint_answers_405_with_the_methods_it_allows() {
    let app = spawn_app().await;
    for (method, path, allowed) in [
        (Method::DELETE, "/api/v1/orders/o-1", "GET, HEAD"),
        (Method::POST, "/api/v1/params", "GET, HEAD, PUT"),
        (Method::GET, "/api/v1/orders/o-1/refund", "POST"),
        (Method::PATCH, "/api/v1/me", "GET, HEAD"),
    ] {
        let response = app.client.request(method.clone(), format!("{}{path}", app.address)).bearer_auth(&app.key).send().await.unwrap();
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(response.headers()["allow"], allowed, "{method} {path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "method_not_allowed", "{body}");
    }
}

#[tokio::test]
async fn head_answers_like_get_without_a_body() {
    let app = spawn_app().await;
    app.member("13800000001", None).await;
    let get = app.client.get(format!("{}/api/v1/members/13800000001", app.address)).bearer_auth(&app.key).send().await.unwrap();
    let head = app.client.head(format!("{}/api/v1/members/13800000001", app.address)).bearer_auth(&app.key).send().await.unwrap();
    assert_eq!((head.status().as_u16(), get.status().as_u16()), (200, 200));
    assert_eq!(head.headers()["content-type"], get.headers()["content-type"]);
    assert!(head.bytes().await.unwrap().is_empty(), "HEAD has no body");
    let unknown = app.client.head(format!("{}/api/v1/members/13900000009", app.address)).bearer_auth(&app.key).send().await.unwrap();
    assert_eq!(unknown.status(), 404, "HEAD of a missing member answers like its GET");
}

#[tokio::test]
async fn every_operation_has_a_unique_id_and_documents_its_error_answers_with_the_error_body() {
    let app = spawn_app().await;
    let document = app.call_with(None, Method::GET, "/api/v1/openapi.json", None).await.body;
    let mut ids = std::collections::HashSet::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let id = operation["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(ids.insert(id.to_string()), "operationId {id} is used twice");
            let responses = operation["responses"].as_object().unwrap();
            assert!(responses.contains_key("503"), "{method} {path} does not document 503");
            for (status, response) in responses {
                assert!(response["description"].as_str().is_some_and(|d| !d.is_empty()), "{method} {path} {status} has no description");
                if status.starts_with('4') || status.starts_with('5') {
                    assert_eq!(
                        response["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody",
                        "{method} {path} {status}"
                    );
                }
            }
            let secured = operation["security"].as_array().is_some_and(|s| s.iter().any(|r| r.as_object().is_some_and(|r| !r.is_empty())));
            assert!(!secured || responses.contains_key("401"), "{method} {path} needs credentials and does not document 401");
        }
    }
    let phone = &document["paths"]["/members/{phone}"]["get"]["parameters"][0]["schema"];
    assert_eq!(phone["pattern"], "^1[3-9][0-9]{9}$", "{phone}");
    let paid_at = &document["components"]["schemas"]["OrderBody"]["properties"]["paid_at"];
    assert_eq!(paid_at["format"], "date-time", "{paid_at}");
}
