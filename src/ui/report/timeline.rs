//! The device across a keychain run: one lane each for the lock, biometry and passcode, one
//! column per step, the states that keep items closed hatched and worded. Drawn in SVG from
//! the engine's [`crate::keychain::timeline`].

use yew::{component, html, Html, Properties};

use crate::keychain::timeline::Lane;

#[derive(Debug, Properties, PartialEq)]
pub struct DeviceTimelineProps {
    pub lanes: Vec<Lane>,
    /// Each step's call, for the column heads.
    pub calls: Vec<&'static str>,
}

const LABEL: usize = 78;
const COL: usize = 136;
const HEAD: usize = 38;
const LANE: usize = 30;

/// A column head: the step's pointer and its call without the `SecItem` prefix.
fn head(index: usize, call: &str) -> (String, String) {
    (format!("/steps/{index}"), call.strip_prefix("SecItem").unwrap_or(call).to_string())
}

#[component]
pub fn DeviceTimeline(props: &DeviceTimelineProps) -> Html {
    let steps = props.calls.len();
    let width = LABEL + steps * COL + 2;
    let height = HEAD + props.lanes.len() * LANE + 2;
    html! {
        <figure class="device-timeline">
            <figcaption>{ "The device at each step" }</figcaption>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Device timeline (scrolls sideways)">
                <svg viewBox={format!("0 0 {width} {height}")} width={width.to_string()} role="img"
                     aria-label="Lock, biometry and passcode state at each step">
                    <defs>
                        <pattern id="closed-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                            <rect width="6" height="6" class="hatch-bg" />
                            <line x1="0" y1="0" x2="0" y2="6" class="hatch" />
                        </pattern>
                    </defs>
                    { for props.calls.iter().enumerate().map(|(i, call)| {
                        let (pointer, name) = head(i, call);
                        let x = LABEL + i * COL + COL / 2;
                        html! {
                            <g class="timeline-head">
                                <text x={x.to_string()} y="14" text-anchor="middle" class="mono">{ pointer }</text>
                                <text x={x.to_string()} y="30" text-anchor="middle">{ name }</text>
                            </g>
                        }
                    }) }
                    { for props.lanes.iter().enumerate().map(|(l, lane)| {
                        let y = HEAD + l * LANE;
                        html! {
                            <g class="lane" data-lane={lane.name}>
                                <text class="lane-name" x="4" y={(y + 19).to_string()}>{ lane.name }</text>
                                { for lane.states.iter().enumerate().map(|(i, s)| {
                                    let x = LABEL + i * COL;
                                    html! {
                                        <g class={if s.closed { "cell closed" } else { "cell open" }}>
                                            <rect x={(x + 1).to_string()} y={(y + 2).to_string()} width={(COL - 2).to_string()} height={(LANE - 4).to_string()} rx="4" />
                                            <text x={(x + COL / 2).to_string()} y={(y + 19).to_string()} text-anchor="middle">{ s.word }</text>
                                            <title>{ format!("step {i}: {} {}", lane.name.to_lowercase(), s.word) }</title>
                                        </g>
                                    }
                                }) }
                            </g>
                        }
                    }) }
                </svg>
            </div>
        </figure>
    }
}
