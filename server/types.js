// @ts-check
/**
 * Shared JSDoc types of the development server (no runtime code).
 *
 * @typedef {{[key: string]: any}} Json
 *
 * @typedef {object} ToolParam
 * @property {string} [type]
 * @property {string} [description]
 * @property {boolean} [required]
 * @property {unknown[]} [enum]
 *
 * @typedef {object} ToolDef
 * @property {string} [description]
 * @property {string} [speech_cue]
 * @property {Record<string, ToolParam|null>|null} [parameters]
 *
 * @typedef {string | {target: string, set?: Json|null, guard?: unknown}} TargetSpec
 *
 * @typedef {object} Transitions
 * @property {Record<string, TargetSpec|TargetSpec[]>|null} [on_tool_call]
 * @property {Record<string, TargetSpec|TargetSpec[]>|null} [on_ui_event]
 * @property {Record<string, TargetSpec|TargetSpec[]>|null} [on_action]
 * @property {{seconds: number, target: string, max_retries?: number, fallback?: string}|null} [on_timeout]
 * @property {{pattern: string, target?: string}[]|null} [on_utterance]
 *
 * @typedef {object} ConfirmationGate
 * @property {string[]} variables
 * @property {TargetSpec} [on_confirm]
 * @property {TargetSpec | {action?: string, target?: string} | null} [on_reject]
 *
 * @typedef {object} StateDef
 * @property {Json|null} [ui]
 * @property {{prompt?: string, tools?: string[]|null}|null} [agent]
 * @property {Record<string, ToolDef|null>|null} [tools]
 * @property {Transitions|null} [transitions]
 * @property {Json[]|Json|null} [on_enter]
 * @property {Json[]|Json|null} [on_exit]
 * @property {ConfirmationGate|null} [confirmation_gate]
 * @property {ConfirmationGate|null} [confirmation]
 *
 * @typedef {object} Flow
 * @property {string} id
 * @property {string} [version]
 * @property {string} [description]
 * @property {string} initial_state
 * @property {{base_system_prompt?: string, max_duration_secs?: number, on_timeout?: string, on_error?: string}|null} [settings]
 * @property {Record<string, {type?: string, enum?: unknown[], required?: boolean, default?: unknown}|null>|null} [variables]
 * @property {Record<string, StateDef|null>} states
 * @property {string} file where it was loaded from
 * @property {{line: number, col: number}} idPos position of its `id`
 *
 * @typedef {'documented'|'reference'} Dialect
 */
export {};
