import { expect } from 'chai';
import { renderAllNodeFiles } from '../../src/render/bundle.js';
import { renderKeepalivedConf } from '../../src/render/keepalived.js';
import { renderNodeEnv } from '../../src/render/node-env.js';
import { vrrpParameters } from '../../src/scenario/run.js';
import { loadSpec } from '../../src/spec/load.js';
import { findNode } from '../../src/spec/types.js';
import { seedSpecPath, seedText } from '../helpers.js';
import { specRejection } from './spec-error.js';

const zeroLossPath = seedSpecPath.replace(/seed\.yaml$/, 'zero-loss.yaml');

const specError = (text: string): string => specRejection(text).message;

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;

describe('zero-loss profile: spec and rendering', () => {
  const spec = loadSpec(zeroLossPath);

  it('loads lab/zero-loss.yaml: VRRP version 3 at 0.1 s, connections synced one a message, from the 2nd packet', () => {
    expect(spec.vrrp).to.include({ version: 3, advertInt: 0.1 });
    expect(spec.vrrp.auth).to.equal(undefined);
    expect(spec.ipvs).to.deep.equal({ syncConnections: true, syncMaxlen: 50, sysctls: { sync_threshold: '2 50' } });
    expect(vrrpParameters(spec)).to.include({ syncConnections: true, advertInt: 0.1 });
    expect(vrrpParameters(loadSpec(seedSpecPath))).not.to.have.property('syncConnections');
  });

  it('renders version 3 into the instance and no authentication; the sync daemons are not keepalived\'s', () => {
    for (const name of ['balancer1', 'balancer2']) {
      const conf = renderKeepalivedConf(spec, findNode(spec, name)!);
      expect(conf).to.include('vrrp_instance VI_1 {\n        version 3\n').and.to.include('advert_int 0.1\n');
      expect(conf).not.to.match(/authentication|lvs_sync_daemon|global_defs/);
    }
  });

  it('gives the balancers the sync daemons (lab interface, sync id = virtual_router_id) and sysctls in node.env, backends nothing new', () => {
    const env = renderNodeEnv(spec, findNode(spec, 'balancer2')!);
    expect(env).to.include("IPVS_SYSCTLS='sync_threshold=2,50'\n").and.to.include("IPVS_SYNC_INTERFACE='eth1'\nIPVS_SYNC_ID='33'\nIPVS_SYNC_MAXLEN='50'\n");
    expect(renderNodeEnv(spec, findNode(spec, 'backend1')!)).not.to.include('IPVS_');
  });

  it('leaves the seed rendering as it was: no global_defs, no version, no sysctls', () => {
    const seed = loadSpec(seedSpecPath);
    expect(seed.ipvs).to.equal(undefined);
    for (const files of renderAllNodeFiles(seed).values()) {
      expect(files['keepalived.conf'] ?? '').not.to.match(/global_defs|version|lvs_sync/);
      expect(files['node.env']).not.to.include('IPVS_');
    }
  });

  it('rejects a sub-second advert_int without version 3, with file, line and field', () => {
    const text = seedText().replace('advert_int: 1', 'advert_int: 0.1');
    const message = specError(text);
    expect(message).to.include(`/labs/broken.yaml:${lineOf(text, 'advert_int: 0.1')}:`);
    expect(message).to.include('vrrp.advert_int: 0.1 is not whole seconds, which VRRP version 2 requires; add "version: 3"');
  });

  it('rejects authentication and intervals finer than centiseconds with version 3', () => {
    const v3 = seedText().replace('  advert_int: 1', '  version: 3\n  advert_int: 1');
    expect(specError(v3)).to.include('vrrp.auth_type: VRRP version 3 has no authentication (RFC 5798)');
    const noAuth = v3.replace(/\s+auth_type: PASS\n\s+auth_pass: [^\n]+/, '');
    expect(specError(noAuth.replace('advert_int: 1', 'advert_int: 0.125'))).to.include('vrrp.advert_int: 0.125 is not a whole number of centiseconds');
    expect(specError(noAuth.replace('advert_int: 1', 'advert_int: 41'))).to.include('over 40.95 s');
    expect(specError(noAuth.replace('version: 3', 'version: 4'))).to.include('vrrp.version: must be 2 or 3');
  });

  it('rejects unknown IPVS sysctls and a sync_threshold that is not [threshold, period]', () => {
    const text = `${seedText()}\nipvs:\n  sync_connections: true\n  sysctls:\n    sync_treshold: 2\n    sync_threshold: [50, 2]\n    sloppy_tcp: [1, 1]\n`;
    const message = specError(text);
    expect(message).to.include(`:${lineOf(text, 'sync_treshold')}:`).and.to.include('ipvs.sysctls.sync_treshold: is not one of the IPVS sysctls');
    expect(message).to.include('ipvs.sysctls.sync_threshold: must be [threshold, period] with threshold < period');
    expect(message).to.include('ipvs.sysctls.sloppy_tcp: takes one number');
    expect(specError(`${seedText()}\nipvs:\n  sync_conections: true\n`)).to.include('unknown field(s) "sync_conections"');
    expect(specError(`${seedText()}\nipvs:\n  sync_maxlen: 50\n`)).to.include('ipvs.sync_maxlen: applies only with sync_connections: true');
    expect(specError(`${seedText()}\nipvs:\n  sync_connections: true\n  sync_maxlen: 20\n`)).to.include('ipvs.sync_maxlen:');
  });
});
