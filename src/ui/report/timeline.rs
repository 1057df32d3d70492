//! The device across a keychain run: one lane each for the lock, biometry and passcode, one
//! column per step, the states that keep items closed hatched and worded. Drawn in SVG from
//! the engine's [`crate::keychain::timeline`], [`WINDOW`] steps at a time: a long run pages
//! through its steps (a 1 200-step run drew some 15 000 SVG elements at once).

use std::ops::Range;

use yew::{component, html, use_state, Callback, Html, Properties};

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

/// The most steps drawn at once.
pub const WINDOW: usize = 48;

/// The steps drawn when the window asked for starts at `first`, of `steps` in all: a whole
/// window, the last one ending at the last step.
fn window(first: usize, steps: usize) -> Range<usize> {
    let last_start = steps.saturating_sub(1) / WINDOW * WINDOW;
    let start = (first / WINDOW * WINDOW).min(last_start);
    start..(start + WINDOW).min(steps)
}

/// A column head: the step's pointer and its call without the `SecItem` prefix.
fn head(index: usize, call: &str) -> (String, String) {
    (format!("/steps/{index}"), call.strip_prefix("SecItem").unwrap_or(call).to_string())
}

#[component]
pub fn DeviceTimeline(props: &DeviceTimelineProps) -> Html {
    let first = use_state(|| 0usize);
    let steps = props.calls.len();
    let shown = window(*first, steps);
    let width = LABEL + shown.len() * COL + 2;
    let height = HEAD + props.lanes.len() * LANE + 2;
    let page = |to: usize| {
        let first = first.clone();
        Callback::from(move |_| first.set(to))
    };
    let (earlier, later) = (page(shown.start.saturating_sub(WINDOW)), page(shown.end));
    let range = format!("Steps {}–{} of {steps}", shown.start, shown.end.saturating_sub(1));
    html! {
        <figure class="device-timeline">
            <figcaption>{ "The device at each step" }</figcaption>
            if steps > WINDOW {
                <div class="timeline-pager">
                    <button type="button" class="timeline-earlier" disabled={shown.start == 0} onclick={earlier}>
                        { "Earlier steps" }
                    </button>
                    <span class="timeline-range" aria-live="polite">{ range }</span>
                    <button type="button" class="timeline-later" disabled={shown.end == steps} onclick={later}>
                        { "Later steps" }
                    </button>
                </div>
            }
            <div class="table-scroll" tabindex="0" role="region" aria-label="Device timeline (scrolls sideways)">
                <svg viewBox={format!("0 0 {width} {height}")} width={width.to_string()} role="img"
                     aria-label="Lock, biometry and passcode state at each step">
                    <defs>
                        <pattern id="closed-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                            <rect width="6" height="6" class="hatch-bg" />
                            <line x1="0" y1="0" x2="0" y2="6" class="hatch" />
                        </pattern>
                    </defs>
                    { for props.calls.iter().enumerate().skip(shown.start).take(shown.len()).map(|(i, call)| {
                        let (pointer, name) = head(i, call);
                        let x = LABEL + (i - shown.start) * COL + COL / 2;
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
                                { for lane.states.iter().enumerate().skip(shown.start).take(shown.len()).map(|(i, s)| {
                                    let x = LABEL + (i - shown.start) * COL;
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
