// XML as arXiv serves it (Atom, RSS, OAI-PMH), read by namespace URI rather than by prefix: arXiv's
// 2016 and 2026 API dialects bind the same namespaces to different prefixes and places, so
// `opensearch:totalResults` must be found whatever it is called in a given response.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  arxiv: 'http://arxiv.org/schemas/atom',
  opensearch: 'http://a9.com/-/spec/opensearch/1.1/',
  oai: 'http://www.openarchives.org/OAI/2.0/',
  arxivRaw: 'http://arxiv.org/OAI/arXivRaw/',
  dc: 'http://purl.org/dc/elements/1.1/',
  none: '',
} as const;

export interface XmlElement {
  ns: string; // namespace URI, '' when none
  name: string; // local name
  attrs: Record<string, string>; // by local name
  children: XmlElement[];
  text: string; // the element's own text, entities decoded
}

export class XmlError extends Error {}

const MAX_BYTES = 64 * 1024 * 1024;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
});

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

/** Parses a document; a malformed one, or one declaring entities, is an XmlError saying why. */
export function parseXml(xml: string): XmlElement {
  if (xml.length > MAX_BYTES) throw new XmlError(`document larger than ${MAX_BYTES} bytes`);
  // No feed we read needs a DTD; refusing them rules out entity-expansion attacks.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new XmlError('documents with a DOCTYPE are not accepted');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new XmlError(`malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  const nodes = parser.parse(xml) as Ordered[];
  const root = nodes.map((n) => toElement(n, {})).find((e): e is XmlElement => e !== null && !e.name.startsWith('?'));
  if (!root) throw new XmlError('empty document');
  return root;
}

function toElement(node: Ordered, scope: Record<string, string>): XmlElement | null {
  const tag = Object.keys(node).find((k) => k !== ':@');
  if (!tag || tag === '#text' || tag.startsWith('?')) return null;
  const rawAttrs = node[':@'] ?? {};
  const inScope = { ...scope };
  const attrs: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawAttrs)) {
    if (key === 'xmlns') inScope[''] = value;
    else if (key.startsWith('xmlns:')) inScope[key.slice(6)] = value;
    else attrs[key.includes(':') ? key.slice(key.indexOf(':') + 1) : key] = value;
  }
  const colon = tag.indexOf(':');
  const prefix = colon === -1 ? '' : tag.slice(0, colon);
  const element: XmlElement = { ns: inScope[prefix] ?? '', name: colon === -1 ? tag : tag.slice(colon + 1), attrs, children: [], text: '' };
  for (const child of (node[tag] as Ordered[]) ?? []) {
    if ('#text' in child) element.text += String(child['#text']);
    else {
      const el = toElement(child, inScope);
      if (el) element.children.push(el);
    }
  }
  return element;
}

export function children(el: XmlElement | undefined, ns: string, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.ns === ns && c.name === name) : [];
}

export function child(el: XmlElement | undefined, ns: string, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.ns === ns && c.name === name);
}

/** The trimmed text of a child element, or null when absent or empty. */
export function childText(el: XmlElement | undefined, ns: string, name: string): string | null {
  const t = child(el, ns, name)?.text.trim();
  return t ? t : null;
}
