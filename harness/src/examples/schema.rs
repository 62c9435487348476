//! The XML Schemas of the XEP corpus, boiled down to what an example can be
//! checked against: for each element a namespace's schema declares, the
//! attributes it allows (and which are required, and their enumerated
//! values) and the children it allows (by name, or any of another
//! namespace through `xs:any`).
//!
//! This is a small content-model checker rather than a full XSD validator:
//! no maintained Rust crate validates XSD 1.0 (the candidates on crates.io
//! are unmaintained bindings to libxml2 or partial parsers), and a full
//! validator would also enforce order and counts, which XEP schemas often
//! get wrong while their examples are right. Anything the reader does not
//! understand (an unknown type, a `substitutionGroup`) makes the element
//! permissive, so gaps cost recall, never false alarms.

use std::collections::{BTreeMap, BTreeSet};

use minidom::Element;

const XSD: &str = "http://www.w3.org/2001/XMLSchema";

/// What an element may hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decl {
    /// Attribute → (required, enumerated values; empty when free).
    pub attributes: BTreeMap<String, (bool, Vec<String>)>,
    /// Any attribute goes (`xs:anyAttribute`, or something not understood).
    pub any_attribute: bool,
    /// The attributes typed `xs:dateTime`.
    pub date_times: BTreeSet<String>,
    /// Children of the schema's namespace allowed by name.
    pub children: BTreeSet<String>,
    /// Children of other namespaces are allowed (`xs:any`).
    pub other_children: bool,
    /// Any child goes (`xs:any` of any namespace, or not understood).
    pub any_child: bool,
}

/// One namespace's schema: its elements, and the XEPs it comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    /// Element name → what it may hold (merged over declarations of the
    /// same name).
    pub elements: BTreeMap<String, Decl>,
    /// The XEPs whose schema this is.
    pub xeps: BTreeSet<u32>,
}

/// Reads a `<code>` block holding an `xs:schema`: its target namespace and
/// what it declares.
pub fn read(code: &str) -> Option<(String, Schema)> {
    let start = code
        .find("<xs:schema")
        .or_else(|| code.find("<xsd:schema"))?;
    let root: Element = code[start..].trim().parse().ok()?;
    if !root.is("schema", XSD) {
        return None;
    }
    let target = root.attr("targetNamespace")?.trim().to_owned();
    if default_namespace(&code[start..]).is_some_and(|ns| ns != target) {
        // A schema whose names are not in its target namespace is a copy
        // left unedited: what it declares is not the target's.
        return None;
    }
    let reader = Reader::new(&root);
    let mut schema = Schema::default();
    for el in descendants(&root).filter(|e| e.is("element", XSD)) {
        if let Some(name) = el.attr("name") {
            let decl = reader.element(el);
            match schema.elements.get_mut(name) {
                Some(known) => merge(known, decl),
                None => {
                    schema.elements.insert(name.to_owned(), decl);
                }
            }
        }
    }
    Some((target, schema))
}

/// Widens `into` to allow what `other` allows too.
pub fn merge(into: &mut Decl, other: Decl) {
    // A dateTime only where every declaration that has the attribute says so.
    into.date_times
        .retain(|n| !other.attributes.contains_key(n) || other.date_times.contains(n));
    for name in &other.date_times {
        if !into.attributes.contains_key(name) {
            into.date_times.insert(name.clone());
        }
    }
    for (name, slot) in into.attributes.iter_mut() {
        if !other.attributes.contains_key(name) {
            slot.0 = false;
        }
    }
    for (name, (required, values)) in other.attributes {
        match into.attributes.get_mut(&name) {
            Some(slot) => {
                slot.0 &= required;
                if slot.1.is_empty() || values.is_empty() {
                    slot.1.clear();
                } else {
                    slot.1.extend(values);
                }
            }
            None => {
                into.attributes.insert(name, (false, values));
            }
        }
    }
    into.any_attribute |= other.any_attribute;
    into.children.extend(other.children);
    into.other_children |= other.other_children;
    into.any_child |= other.any_child;
}

/// The default namespace the start tag at the head of `text` declares.
fn default_namespace(text: &str) -> Option<&str> {
    let tag = &text[..text.find('>')?];
    let at = tag.find("xmlns=")? + 6;
    let quote = tag[at..].chars().next()?;
    let value = &tag[at + 1..];
    Some(value[..value.find(quote)?].trim())
}

fn descendants(root: &Element) -> impl Iterator<Item = &Element> {
    let mut stack = vec![root];
    std::iter::from_fn(move || {
        let el = stack.pop()?;
        stack.extend(el.children());
        Some(el)
    })
}

fn local(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

struct Reader<'a> {
    types: BTreeMap<&'a str, &'a Element>,
    simple: BTreeMap<&'a str, &'a Element>,
    groups: BTreeMap<&'a str, &'a Element>,
    attribute_groups: BTreeMap<&'a str, &'a Element>,
}

impl<'a> Reader<'a> {
    fn new(root: &'a Element) -> Self {
        let mut reader = Reader {
            types: BTreeMap::new(),
            simple: BTreeMap::new(),
            groups: BTreeMap::new(),
            attribute_groups: BTreeMap::new(),
        };
        for child in root.children() {
            let Some(name) = child.attr("name") else {
                continue;
            };
            match child.name() {
                "complexType" => reader.types.insert(name, child),
                "simpleType" => reader.simple.insert(name, child),
                "group" => reader.groups.insert(name, child),
                "attributeGroup" => reader.attribute_groups.insert(name, child),
                _ => None,
            };
        }
        reader
    }

    /// What the element declaration `el` allows.
    fn element(&self, el: &Element) -> Decl {
        let mut decl = Decl::default();
        if el.attr("substitutionGroup").is_some() || el.attr("abstract").is_some() {
            decl.any_attribute = true;
            decl.any_child = true;
            return decl;
        }
        if let Some(kind) = el.attr("type") {
            let kind = local(kind);
            match self.types.get(kind) {
                Some(t) => self.content(t, &mut decl, 0),
                None if self.simple.contains_key(kind)
                    || is_builtin(el.attr("type").unwrap_or("")) => {}
                None => {
                    decl.any_attribute = true;
                    decl.any_child = true;
                }
            }
            return decl;
        }
        match el.get_child("complexType", XSD) {
            Some(t) => self.content(t, &mut decl, 0),
            None if el.get_child("simpleType", XSD).is_some() => {}
            // No type at all: xs:anyType.
            None => {
                decl.any_attribute = true;
                decl.any_child = true;
            }
        }
        decl
    }

    /// Walks a content model, collecting attributes and children.
    fn content(&self, model: &Element, decl: &mut Decl, depth: usize) {
        if depth > 20 {
            decl.any_attribute = true;
            decl.any_child = true;
            return;
        }
        for child in model.children().filter(|c| c.ns() == XSD) {
            match child.name() {
                "attribute" => self.attribute(child, decl),
                "anyAttribute" => decl.any_attribute = true,
                "element" => match child.attr("ref").or(child.attr("name")) {
                    Some(name) if name.contains(':') && child.attr("ref").is_some() => {
                        decl.other_children = true;
                        decl.children.insert(local(name).to_owned());
                    }
                    Some(name) => {
                        decl.children.insert(local(name).to_owned());
                    }
                    None => decl.any_child = true,
                },
                "any" => match child.attr("namespace").unwrap_or("##any").trim() {
                    "##other" => decl.other_children = true,
                    "##targetNamespace" | "##local" => decl.any_child = true,
                    _ => {
                        decl.any_child = true;
                        decl.other_children = true;
                    }
                },
                "group" | "attributeGroup" => {
                    let table = if child.name() == "group" {
                        &self.groups
                    } else {
                        &self.attribute_groups
                    };
                    match child.attr("ref").and_then(|r| table.get(local(r))) {
                        Some(group) => self.content(group, decl, depth + 1),
                        None if child.attr("ref").is_none() => self.content(child, decl, depth + 1),
                        None => {
                            decl.any_attribute = true;
                            decl.any_child = true;
                        }
                    }
                }
                "extension" | "restriction" => {
                    if let Some(base) = child.attr("base") {
                        match self.types.get(local(base)) {
                            Some(t) => self.content(t, decl, depth + 1),
                            None if is_builtin(base) || self.simple.contains_key(local(base)) => {}
                            None => {
                                decl.any_attribute = true;
                                decl.any_child = true;
                            }
                        }
                    }
                    self.content(child, decl, depth + 1);
                }
                "sequence" | "choice" | "all" | "complexContent" | "simpleContent" => {
                    self.content(child, decl, depth + 1)
                }
                _ => {}
            }
        }
    }

    fn attribute(&self, attr: &Element, decl: &mut Decl) {
        let Some(name) = attr.attr("name") else {
            // `ref='xml:lang'` and the like: another namespace's attribute.
            return;
        };
        let required = attr.attr("use") == Some("required");
        let simple = attr.get_child("simpleType", XSD).or_else(|| {
            attr.attr("type")
                .and_then(|t| self.simple.get(local(t)).copied())
        });
        let values = simple.map(enumeration).unwrap_or_default();
        decl.attributes.insert(name.to_owned(), (required, values));
        if attr.attr("type").is_some_and(|t| local(t) == "dateTime") {
            decl.date_times.insert(name.to_owned());
        }
    }
}

/// The enumerated values of a simple type (empty when it is not a plain
/// enumeration).
fn enumeration(simple: &Element) -> Vec<String> {
    let Some(restriction) = simple.get_child("restriction", XSD) else {
        return Vec::new();
    };
    restriction
        .children()
        .filter(|c| c.is("enumeration", XSD))
        .filter_map(|c| c.attr("value").map(str::to_owned))
        .collect()
}

fn is_builtin(kind: &str) -> bool {
    kind.starts_with("xs:") || kind.starts_with("xsd:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schema_boils_down_to_attributes_and_children() {
        let code = r#"<?xml version='1.0'?>
<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema' targetNamespace='urn:t' xmlns='urn:t'>
  <xs:element name='query'>
    <xs:complexType>
      <xs:sequence><xs:element ref='item' maxOccurs='unbounded'/><xs:any namespace='##other'/></xs:sequence>
      <xs:attribute name='node' use='required'/>
      <xs:attribute name='mode' default='a'>
        <xs:simpleType><xs:restriction base='xs:NCName'><xs:enumeration value='a'/><xs:enumeration value='b'/></xs:restriction></xs:simpleType>
      </xs:attribute>
    </xs:complexType>
  </xs:element>
  <xs:element name='item' type='empty'/>
  <xs:simpleType name='empty'><xs:restriction base='xs:string'><xs:enumeration value=''/></xs:restriction></xs:simpleType>
</xs:schema>"#;
        let (ns, schema) = read(code).unwrap();
        assert_eq!(ns, "urn:t");
        let query = &schema.elements["query"];
        assert_eq!(query.attributes["node"], (true, vec![]));
        assert_eq!(query.attributes["mode"].1, ["a", "b"]);
        assert!(query.children.contains("item") && query.other_children && !query.any_child);
        let item = &schema.elements["item"];
        assert!(item.children.is_empty() && !item.any_child && item.attributes.is_empty());
    }
}
