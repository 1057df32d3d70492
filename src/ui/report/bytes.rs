//! A byte map: the bytes of a binary structure on a hex grid with an offset ruler, each field
//! shaded and listed with its range and value (a flags byte bit by bit). Pointing at a field in
//! the list, or at one of its bytes, or focusing its row, highlights all of its bytes. Drawn in
//! SVG from the engine's [`crate::figure::ByteMap`].

use yew::{component, html, use_state, Callback, FocusEvent, Html, MouseEvent, Properties, TargetCast};

use crate::figure::{ByteField, ByteMap};

#[derive(Debug, Properties, PartialEq)]
pub struct ByteMapPictureProps {
    pub map: ByteMap,
}

const PER_ROW: usize = 16;
const CELL_W: usize = 26;
const CELL_H: usize = 22;
const LEFT: usize = 52;
const TOP: usize = 22;
/// Shades cycle through this many classes (`f0` …); the list names every field.
const SHADES: usize = 6;

fn range(field: &ByteField) -> String {
    match field.len {
        0 => format!("{} (empty)", field.start),
        1 => field.start.to_string(),
        n => format!("{}–{}", field.start, field.start + n - 1),
    }
}

/// The field index a grid element names in its `data-field` attribute.
fn field_of(target: Option<web_sys::Element>) -> Option<usize> {
    target?.closest("[data-field]").ok()??.get_attribute("data-field")?.parse().ok()
}

/// A byte map with hover and focus highlighting of one field at a time.
#[component]
pub fn ByteMapPicture(props: &ByteMapPictureProps) -> Html {
    let map = &props.map;
    let lit = use_state(|| None::<usize>);
    let point = {
        let lit = lit.clone();
        Callback::from(move |e: MouseEvent| lit.set(field_of(e.target_dyn_into())))
    };
    let leave = {
        let lit = lit.clone();
        Callback::from(move |_: MouseEvent| lit.set(None))
    };
    let focus = {
        let lit = lit.clone();
        Callback::from(move |e: FocusEvent| lit.set(field_of(e.target_dyn_into())))
    };
    let blur = {
        let lit = lit.clone();
        Callback::from(move |_: FocusEvent| lit.set(None))
    };
    let rows = map.bytes.len().div_ceil(PER_ROW).max(1);
    let width = LEFT + PER_ROW * CELL_W + 4;
    let height = TOP + rows * CELL_H + 4;
    let shade = |index: Option<usize>| match index {
        Some(i) if Some(i) == *lit => format!("byte f{} lit", i % SHADES),
        Some(i) => format!("byte f{}", i % SHADES),
        None => "byte".to_string(),
    };
    html! {
        <figure class="byte-map" onmouseover={point} onmouseleave={leave} onfocusin={focus} onfocusout={blur}>
            <figcaption>{ format!("{} ({} bytes)", map.title, map.bytes.len()) }</figcaption>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Bytes (scroll sideways)">
                <svg viewBox={format!("0 0 {width} {height}")} width={width.to_string()} role="img"
                     aria-label={format!("{}: {} bytes in {} fields, listed below", map.title, map.bytes.len(), map.fields.len())}>
                    for col in 0..PER_ROW {
                        <text class="ruler" x={(LEFT + col * CELL_W + CELL_W / 2).to_string()} y="14" text-anchor="middle">
                            { format!("{col:x}") }
                        </text>
                    }
                    for row in 0..rows {
                        <text class="ruler" x={(LEFT - 8).to_string()} y={(TOP + row * CELL_H + 15).to_string()} text-anchor="end">
                            { format!("{:04x}", row * PER_ROW) }
                        </text>
                    }
                    { for map.bytes.iter().enumerate().map(|(offset, byte)| {
                        let field = map.field_at(offset);
                        let (x, y) = (LEFT + offset % PER_ROW * CELL_W, TOP + offset / PER_ROW * CELL_H);
                        html! {
                            <g class={shade(field)} data-field={field.map(|f| f.to_string())}>
                                <rect x={x.to_string()} y={y.to_string()} width={(CELL_W - 2).to_string()} height={(CELL_H - 2).to_string()} rx="3" />
                                <text x={(x + CELL_W / 2 - 1).to_string()} y={(y + 15).to_string()} text-anchor="middle">{ format!("{byte:02x}") }</text>
                            </g>
                        }
                    }) }
                </svg>
            </div>
            <table class="byte-fields">
                <thead>
                    <tr>
                        <th scope="col">{ "Field" }</th>
                        <th scope="col">{ "Bytes" }</th>
                        <th scope="col">{ "Length" }</th>
                        <th scope="col">{ "Value" }</th>
                    </tr>
                </thead>
                <tbody>
                    for (index, field) in map.fields.iter().enumerate() {
                        <tr class={if Some(index) == *lit { "lit" } else { "" }} data-field={index.to_string()} tabindex="0">
                            <th scope="row"><span class={format!("swatch f{}", index % SHADES)} aria-hidden="true"></span>{ field.name.to_string() }</th>
                            <td class="nowrap">{ range(field) }</td>
                            <td>{ field.len }</td>
                            <td class="byte-value">
                                <code>{ field.value.clone() }</code>
                                if !field.bits.is_empty() {
                                    <ul class="bits" aria-label="Flag bits">
                                        for bit in field.bits.iter() {
                                            <li class={if bit.set { "set" } else { "clear" }}>
                                                { format!("bit {} {} {}", bit.bit, bit.name, if bit.set { "= 1" } else { "= 0" }) }
                                            </li>
                                        }
                                    </ul>
                                }
                            </td>
                        </tr>
                    }
                </tbody>
            </table>
            if let Some(note) = &map.note {
                <p class="byte-note">{ note.clone() }</p>
            }
        </figure>
    }
}
