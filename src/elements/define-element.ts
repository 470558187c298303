/**
 * Registers `ctor` as `tag` unless the registry already has that tag, so loading the
 * bundle twice (or calling `define()` from two entry points) is harmless. A different
 * class already registered under the tag is left in place: the registry is the page's.
 *
 * @example
 * static define(tag = 'prepatu-orb', registry = customElements) {
 *   return defineElement(tag, this, registry);
 * }
 */
export function defineElement(
  tag: string,
  ctor: CustomElementConstructor,
  registry: CustomElementRegistry = customElements,
): CustomElementConstructor {
  const existing = registry.get(tag);
  if (existing) return existing;
  registry.define(tag, ctor);
  return ctor;
}
