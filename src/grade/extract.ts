import { parseIpvsadmLine, servicesFromCommands, type IpvsadmCommand } from './ipvsadm-commands.js';
import { servicesFromListing } from './ipvsadm-listing.js';
import { serviceFromVirtualServer, type IpvsServiceDef } from './ipvs-service.js';
import { parseKeepalivedConfig, type KeepalivedConfig } from './keepalived-model.js';
import { codeBlocks } from './markdown-blocks.js';
import { hereDocumentEnd, shellSegments, type NumberedLine, type Segment } from './shell-segments.js';
import type { CodeBlock, RawFinding, SubmissionFile } from './types.js';

/** A keepalived configuration found in the submission, with what may name its balancer. */
export interface FoundConfig {
  file: string;
  firstLine: number;
  /** The configuration as written, from its first top-level keyword on (its line 1 is firstLine). */
  text: string;
  config: KeepalivedConfig;
  /** Host named by the shell prompt above it (root@Balancer1). */
  host?: string;
  /** Prose just before it, and stray caption lines at the top of its block. */
  caption: string[];
  /** Other files holding the same configuration (their names may name the balancer). */
  copies: string[];
}

export interface Extracted {
  configs: FoundConfig[];
  services: IpvsServiceDef[];
  findings: RawFinding[];
}

/** Words that open a keepalived configuration at its top level. */
const CONFIG_START = /^\s*(vrrp_instance|virtual_server|vrrp_script|global_defs|vrrp_sync_group|include)\b/;
const COMMENT_OR_BLANK = /^\s*([#!].*)?$/;

/** Finds keepalived configurations and IPVS services in every file and block of a submission. */
export function extract(files: SubmissionFile[]): Extracted {
  const extracted: Extracted = { configs: [], services: [], findings: [] };
  for (const file of files) {
    const commands = new Map<string, IpvsadmCommand[]>();
    for (const block of codeBlocks(file)) {
      shellSegments(block).forEach((segment, index) => {
        const hostKey = segment.host ?? '';
        const found = segmentCommands(segment);
        if (found.length > 0) commands.set(hostKey, [...(commands.get(hostKey) ?? []), ...found]);
        extracted.services.push(...servicesFromListing(segment, file.path));
        const config = configIn(segment, block, index === 0);
        if (config) {
          extracted.configs.push(config);
          extracted.services.push(...config.config.virtualServers.map((server) => withHost(serviceFromVirtualServer(server, file.path), config.host)));
        }
      });
    }
    for (const [host, list] of commands) extracted.services.push(...servicesFromCommands(list, file.path, host || undefined));
  }
  extracted.configs = dropDuplicates(extracted.configs, extracted.findings);
  return extracted;
}

function segmentCommands(segment: Segment): IpvsadmCommand[] {
  const lines: NumberedLine[] = segment.command && segment.commandLine !== undefined ? [{ text: segment.command, line: segment.commandLine }] : [];
  lines.push(...segment.lines);
  return lines.map(parseIpvsadmLine).filter((command): command is IpvsadmCommand => command !== undefined);
}

/**
 * The configuration in a segment, from its first top-level keyword on. Lines above that keyword
 * are captions ("Balancer1:"), ipvsadm lines and a here-document's end are blanked so that the
 * parser's line numbers stay the file's.
 */
function configIn(segment: Segment, block: CodeBlock, firstInBlock: boolean): FoundConfig | undefined {
  const start = segment.lines.findIndex((line) => CONFIG_START.test(line.text));
  if (start < 0) return undefined;
  const end = hereDocumentEnd(segment.command);
  const body = segment.lines.slice(start).map(({ text }) => (parseIpvsadmLine({ text, line: 0 }) || text.trim() === end ? '' : text));
  const first = segment.lines[start]!;
  const strayCaptions = segment.lines.slice(0, start).map((line) => line.text.trim()).filter((text) => !COMMENT_OR_BLANK.test(text) || /[a-zа-я]/i.test(text));
  const caption = [...(firstInBlock && !segment.host ? block.textBefore : []), ...strayCaptions];
  const config = parseKeepalivedConfig(body.join('\n'), { file: block.file, firstLine: first.line });
  return { file: block.file, firstLine: first.line, text: `${body.join('\n')}\n`, config, caption, copies: [], ...(segment.host ? { host: segment.host } : {}) };
}

function withHost(service: IpvsServiceDef, host: string | undefined): IpvsServiceDef {
  return host ? { ...service, host } : service;
}

/**
 * The same configuration in two files (the README and a .conf file) is one balancer's, not two:
 * the first copy stays and remembers the other's file name and prompt. Identical copies in one
 * file, or under two different prompts, are kept: that is a student giving both balancers one config.
 */
function dropDuplicates(configs: FoundConfig[], findings: RawFinding[]): FoundConfig[] {
  const kept: FoundConfig[] = [];
  const keys = new Map<FoundConfig, string>();
  for (const config of configs) {
    const key = JSON.stringify(config.config.statements, (name, value: unknown) => (name === 'line' || name === 'raw' ? undefined : value));
    keys.set(config, key);
    const first = kept.find((other) => keys.get(other) === key && other.file !== config.file && (!other.host || !config.host || other.host === config.host));
    if (!first) {
      kept.push(config);
      continue;
    }
    findings.push({ code: 'duplicate-config', file: config.file, line: config.firstLine, params: { first: `${first.file}:${first.firstLine}` } });
    first.copies.push(config.file);
    if (!first.host && config.host) first.host = config.host;
    if (first.caption.length === 0) first.caption = config.caption;
  }
  return kept;
}
