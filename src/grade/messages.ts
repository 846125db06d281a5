import type { Finding, Lang, RawFinding, Severity } from './types.js';

/** A finding's words in one language: {name} is replaced by the finding's param of that name. */
type Text = readonly [message: string, hint: string];
interface Entry {
  severity: Severity;
  en: Text;
  ru: Text;
}

/** Every finding the static stage can report, by its stable code. */
export const MESSAGES = {
  // ---- reading the submission
  'submission-missing': { severity: 'error', en: ['the submission {path} does not exist', 'hand in a markdown file or a folder'], ru: ['работа {path} не найдена', 'сдайте markdown-файл или папку'] },
  'empty-submission': { severity: 'error', en: ['the submission folder is empty', 'add the markdown file with both keepalived configs'], ru: ['папка с работой пуста', 'добавьте markdown-файл с конфигурациями keepalived обеих нод'] },
  unreadable: { severity: 'warning', en: ['cannot read this file: {reason}', 'check the file permissions'], ru: ['файл не читается: {reason}', 'проверьте права на файл'] },
  'too-many-files': { severity: 'warning', en: ['more than {max} files: the rest were not read', 'hand in only the homework files'], ru: ['больше {max} файлов: остальные не прочитаны', 'сдайте только файлы домашнего задания'] },
  'too-deep': { severity: 'warning', en: ['folders nested deeper than {max} levels were not read', 'keep the homework files near the top of the repository'], ru: ['папки глубже {max} уровней не прочитаны', 'держите файлы задания ближе к корню репозитория'] },
  'symlink-skipped': { severity: 'warning', en: ['a symbolic link: not followed, the grader reads only files in the submission', 'commit the file itself, not a link to it'], ru: ['символическая ссылка: проверка читает только файлы самой работы', 'добавьте сам файл, а не ссылку на него'] },
  'not-a-file': { severity: 'info', en: ['not a regular file: skipped', 'hand in regular files only'], ru: ['не обычный файл: пропущен', 'сдавайте только обычные файлы'] },
  'image-skipped': { severity: 'info', en: ['an image (screenshot): not checked automatically', 'configs must be in text, as code blocks'], ru: ['изображение (скриншот): автоматически не проверяется', 'конфигурации нужны текстом, в блоках кода'] },
  'file-too-large': { severity: 'warning', en: ['{size} bytes: larger than {max}, not read', 'hand in the configs as text, not logs or archives'], ru: ['{size} байт: больше {max}, файл не прочитан', 'сдайте конфигурации текстом, без логов и архивов'] },
  'binary-file': { severity: 'warning', en: ['a binary file: not read', 'configs must be plain text'], ru: ['двоичный файл: не прочитан', 'конфигурации должны быть обычным текстом'] },
  'not-utf8': { severity: 'warning', en: ['not UTF-8 text: not read', 'save the file as UTF-8 (e.g. iconv -f cp1251 -t utf-8)'], ru: ['текст не в UTF-8: файл не прочитан', 'сохраните файл в UTF-8 (например, iconv -f cp1251 -t utf-8)'] },
  'no-configs': { severity: 'error', en: ['no keepalived configuration (vrrp_instance) found in the submission', 'paste both balancers\' /etc/keepalived/keepalived.conf as code blocks'], ru: ['в работе не найдено конфигурации keepalived (vrrp_instance)', 'вставьте /etc/keepalived/keepalived.conf обеих нод блоками кода'] },
  'one-config': { severity: 'error', en: ['only one keepalived configuration found; failover needs two balancers', 'add the second balancer\'s keepalived.conf'], ru: ['найдена только одна конфигурация keepalived; для отказоустойчивости нужны две ноды', 'добавьте keepalived.conf второй ноды'] },
  'too-many-configs': { severity: 'error', en: ['{count} different keepalived configurations found; the lab has two balancers', 'keep one final config per balancer (remove drafts)'], ru: ['найдено {count} разных конфигураций keepalived; в стенде две ноды-балансировщика', 'оставьте по одной итоговой конфигурации на ноду (уберите черновики)'] },
  'duplicate-config': { severity: 'info', en: ['the same configuration as {first}: counted once', 'nothing to do'], ru: ['та же конфигурация, что и в {first}: учтена один раз', 'ничего делать не нужно'] },

  // ---- keepalived.conf syntax
  'unmatched-quote': { severity: 'error', en: ['a quote is not closed', 'close the " on this line'], ru: ['кавычка не закрыта', 'закройте " в этой строке'] },
  'brace-unexpected': { severity: 'error', en: ['a { that opens no block', 'put { after the block\'s keyword (vrrp_instance VI_1 {)'], ru: ['{ не открывает никакого блока', 'ставьте { после ключевого слова блока (vrrp_instance VI_1 {)'] },
  'brace-extra': { severity: 'error', en: ['an extra } (keepalived: "Extra \'}\' found")', 'remove it or open its block'], ru: ['лишняя } (keepalived: "Extra \'}\' found")', 'удалите её или откройте блок'] },
  'brace-missing': { severity: 'error', en: ['{count} block(s) not closed by the end of the config', 'add the missing }'], ru: ['к концу конфигурации не закрыто блоков: {count}', 'добавьте недостающие }'] },
  'unknown-keyword': { severity: 'error', en: ['keepalived does not know "{keyword}" in {block}: it ignores this line (and its block)', 'check the spelling against man keepalived.conf'], ru: ['keepalived не знает "{keyword}" в {block}: строка (и её блок) будет проигнорирована', 'сверьте написание с man keepalived.conf'] },
  'include-not-followed': { severity: 'warning', en: ['include {target}: the included file is not part of the submission and is not checked', 'paste the included configuration too'], ru: ['include {target}: подключаемый файл не входит в работу и не проверяется', 'вставьте и подключаемую конфигурацию'] },

  // ---- roles
  'role-assigned': { severity: 'info', en: ['taken as {balancer} (by {reason}: {evidence})', 'name the node above each config (e.g. "Balancer1") to make this explicit'], ru: ['считается конфигурацией {balancer} (по признаку {reason}: {evidence})', 'подпишите ноду над каждой конфигурацией (например, "Balancer1")'] },
  'roles-conflict': { severity: 'warning', en: ['both configs are named as the same balancer ("{first}", "{second}"): decided by priority and state', 'caption each config with its own node'], ru: ['обе конфигурации подписаны одной нодой ("{first}", "{second}"): роли определены по priority и state', 'подпишите каждую конфигурацию своей нодой'] },

  // ---- values in one config
  'template-unfilled': { severity: 'error', en: ['the homework template is left unfilled here: {value}', 'replace the placeholder with a real value (e.g. state MASTER, interface eth1)'], ru: ['здесь остался незаполненный шаблон задания: {value}', 'замените заглушку настоящим значением (например, state MASTER, interface eth1)'] },
  'state-invalid': { severity: 'error', en: ['state "{value}" is not MASTER or BACKUP (case matters): keepalived uses BACKUP', 'write state MASTER or state BACKUP'], ru: ['state "{value}" — не MASTER и не BACKUP (регистр важен): keepalived возьмёт BACKUP', 'напишите state MASTER или state BACKUP'] },
  'vrid-invalid': { severity: 'error', en: ['virtual_router_id "{value}" is not 1–255', 'use the same number from 1 to 255 on both balancers'], ru: ['virtual_router_id "{value}" не из диапазона 1–255', 'укажите одно и то же число от 1 до 255 на обеих нодах'] },
  'vrid-missing': { severity: 'error', en: ['vrrp_instance {instance} has no virtual_router_id: keepalived rejects it', 'add virtual_router_id, the same on both balancers'], ru: ['в vrrp_instance {instance} нет virtual_router_id: keepalived его не примет', 'добавьте virtual_router_id, одинаковый на обеих нодах'] },
  'priority-invalid': { severity: 'error', en: ['priority "{value}" is not 1–255: keepalived uses 100', 'use e.g. 100 on the master and 50 on the backup'], ru: ['priority "{value}" не из диапазона 1–255: keepalived возьмёт 100', 'например, 100 на мастере и 50 на резервной'] },
  'advert-int-invalid': { severity: 'error', en: ['advert_int "{value}" is not a positive number of seconds', 'use advert_int 1'], ru: ['advert_int "{value}" — не положительное число секунд', 'укажите advert_int 1'] },
  'auth-type-invalid': { severity: 'error', en: ['auth_type "{value}" is neither PASS nor AH', 'use auth_type PASS'], ru: ['auth_type "{value}" — не PASS и не AH', 'укажите auth_type PASS'] },
  'auth-pass-truncated': { severity: 'warning', en: ['auth_pass is {length} characters: keepalived uses only the first 8 ("{used}")', 'use at most 8 characters'], ru: ['auth_pass длиной {length} символов: keepalived использует только первые 8 ("{used}")', 'используйте не больше 8 символов'] },
  'interface-missing': { severity: 'error', en: ['vrrp_instance {instance} has no interface', 'add interface eth1 (the network both balancers share)'], ru: ['в vrrp_instance {instance} нет interface', 'добавьте interface eth1 (общая сеть нод)'] },
  'vip-missing': { severity: 'error', en: ['vrrp_instance {instance} has no virtual_ipaddress: there is no VIP to fail over', 'add virtual_ipaddress { 172.28.128.200/24 dev eth1 }'], ru: ['в vrrp_instance {instance} нет virtual_ipaddress: нечему переезжать', 'добавьте virtual_ipaddress { 172.28.128.200/24 dev eth1 }'] },
  'vip-invalid': { severity: 'error', en: ['"{value}" is not an IPv4 address: keepalived skips it', 'write the VIP as address/prefix, e.g. 172.28.128.200/24'], ru: ['"{value}" — не IPv4-адрес: keepalived его пропустит', 'запишите VIP как адрес/префикс, например 172.28.128.200/24'] },
  'vip-dev-mismatch': { severity: 'warning', en: ['the VIP is put on {dev}, but VRRP runs on {interface}', 'use the same interface in dev and interface'], ru: ['VIP назначается на {dev}, а VRRP работает на {interface}', 'укажите один интерфейс в dev и interface'] },
  'track-script-undefined': { severity: 'warning', en: ['track_script {name} names no vrrp_script: keepalived ignores it, a dead nginx will not move the VIP', 'define vrrp_script {name} { … }'], ru: ['track_script {name} не ссылается ни на один vrrp_script: keepalived его игнорирует, падение nginx не переместит VIP', 'опишите vrrp_script {name} { … }'] },
  'track-script-order': { severity: 'warning', en: ['vrrp_script {name} is defined after the vrrp_instance that tracks it: keepalived 2.2 prints "track script {name} not found, ignoring"', 'move vrrp_script {name} above vrrp_instance'], ru: ['vrrp_script {name} описан после vrrp_instance, который его использует: keepalived 2.2 пишет "track script {name} not found, ignoring"', 'перенесите vrrp_script {name} выше vrrp_instance'] },
  'nopreempt-on-master': { severity: 'warning', en: ['nopreempt with state MASTER: keepalived ignores nopreempt unless the state is BACKUP', 'use state BACKUP on both balancers with nopreempt'], ru: ['nopreempt при state MASTER: keepalived учитывает nopreempt только при state BACKUP', 'с nopreempt ставьте state BACKUP на обеих нодах'] },

  // ---- the two configs together
  'vrid-mismatch': { severity: 'error', en: ['virtual_router_id differs: {first} on balancer1, {second} on balancer2 — they are two separate routers, both become MASTER', 'use the same virtual_router_id on both'], ru: ['virtual_router_id различается: {first} на balancer1, {second} на balancer2 — это два разных роутера, обе ноды станут MASTER', 'укажите одинаковый virtual_router_id на обеих нодах'] },
  'interface-mismatch': { severity: 'error', en: ['interface differs: {first} on balancer1, {second} on balancer2 — adverts do not meet, split brain', 'run VRRP on the network both balancers share'], ru: ['interface различается: {first} на balancer1, {second} на balancer2 — анонсы не встретятся, split brain', 'запустите VRRP в сети, общей для обеих нод'] },
  'interface-not-lab': { severity: 'error', en: ['interface {interface} is not the shared lab network {expected} ({subnet}): in the Vagrant lab eth0 is each VM\'s own NAT, adverts never reach the peer — split brain', 'use interface {expected}'], ru: ['interface {interface} — не общая сеть стенда {expected} ({subnet}): в Vagrant eth0 — собственный NAT каждой ВМ, анонсы не доходят до соседа — split brain', 'укажите interface {expected}'] },
  'priority-equal': { severity: 'error', en: ['both balancers have priority {priority}: the master is decided by IP address, not by the config', 'give the master the higher priority (e.g. 100 and 50)'], ru: ['у обеих нод priority {priority}: мастер определится по IP-адресу, а не по конфигурации', 'дайте мастеру больший priority (например, 100 и 50)'] },
  'priority-255-both': { severity: 'error', en: ['priority 255 on both balancers: 255 means "owns the address", only one may', 'use e.g. 100 and 50'], ru: ['priority 255 на обеих нодах: 255 означает «владелец адреса», такой может быть только один', 'например, 100 и 50'] },
  'state-both-master': { severity: 'error', en: ['both balancers are MASTER with the same priority {priority}: nothing says which one is the master', 'make one BACKUP with a lower priority'], ru: ['обе ноды MASTER с одинаковым priority {priority}: непонятно, какая из них мастер', 'сделайте одну BACKUP с меньшим priority'] },
  'state-both-backup': { severity: 'error', en: ['both balancers are BACKUP with the same priority {priority}: nothing says which one is the master', 'make one MASTER, or give it a higher priority'], ru: ['обе ноды BACKUP с одинаковым priority {priority}: непонятно, какая из них мастер', 'сделайте одну MASTER или дайте ей больший priority'] },
  'auth-type-mismatch': { severity: 'error', en: ['auth_type differs: {first} vs {second} — each drops the other\'s adverts, split brain', 'use the same authentication block on both'], ru: ['auth_type различается: {first} и {second} — ноды отбрасывают анонсы друг друга, split brain', 'используйте одинаковый блок authentication на обеих нодах'] },
  'auth-pass-mismatch': { severity: 'error', en: ['auth_pass differs in its first 8 characters ("{first}" vs "{second}"): each drops the other\'s adverts, split brain', 'use the same auth_pass on both'], ru: ['auth_pass различается в первых 8 символах ("{first}" и "{second}"): ноды отбрасывают анонсы друг друга, split brain', 'используйте одинаковый auth_pass на обеих нодах'] },
  'advert-int-mismatch': { severity: 'error', en: ['advert_int differs: {first} vs {second} — VRRPv2 drops adverts with another interval', 'use the same advert_int on both'], ru: ['advert_int различается: {first} и {second} — VRRPv2 отбрасывает анонсы с другим интервалом', 'укажите одинаковый advert_int на обеих нодах'] },
  'vip-mismatch': { severity: 'error', en: ['the VIP differs: {first} on balancer1, {second} on balancer2', 'use the same virtual_ipaddress on both'], ru: ['VIP различается: {first} на balancer1, {second} на balancer2', 'укажите одинаковый virtual_ipaddress на обеих нодах'] },
  'unicast-one-sided': { severity: 'error', en: ['{with} uses unicast_peer, {without} multicast: they never hear each other', 'configure unicast_peer on both balancers, or on neither'], ru: ['{with} использует unicast_peer, {without} — multicast: ноды не услышат друг друга', 'настройте unicast_peer на обеих нодах или ни на одной'] },
  'unicast-peer-unknown': { severity: 'error', en: ['unicast_peer {peer} is not the other balancer ({expected})', 'list the other balancer\'s address'], ru: ['unicast_peer {peer} — не адрес второй ноды ({expected})', 'укажите адрес второй ноды'] },

  // ---- addresses and topology
  'vip-outside-subnet': { severity: 'error', en: ['the VIP {vip} is outside the balancers\' network {subnet}', 'pick a free address in {subnet}'], ru: ['VIP {vip} вне сети балансировщиков {subnet}', 'выберите свободный адрес в {subnet}'] },
  'topology-inconsistent': { severity: 'error', en: ['the addresses do not fit one network: {detail}', 'keep VIP, balancers and backends in one subnet'], ru: ['адреса не укладываются в одну сеть: {detail}', 'VIP, балансировщики и бэкенды должны быть в одной подсети'] },
  'topology-changed': { severity: 'info', en: ['this submission uses its own addresses: {detail}; the lab is built with them', 'nothing to do'], ru: ['в работе свои адреса: {detail}; стенд собирается с ними', 'ничего делать не нужно'] },

  // ---- IPVS
  'no-ipvs-service': { severity: 'error', en: ['no IPVS service anywhere: neither ipvsadm -A/-a lines, nor a virtual_server block, nor ipvsadm -Ln output', 'show how IPVS was set up: ipvsadm -A -t VIP:80 -s rr and ipvsadm -a … -g'], ru: ['нигде нет сервиса IPVS: ни строк ipvsadm -A/-a, ни блока virtual_server, ни вывода ipvsadm -Ln', 'покажите настройку IPVS: ipvsadm -A -t VIP:80 -s rr и ipvsadm -a … -g'] },
  'ipvs-from-listing': { severity: 'info', en: ['IPVS is shown only as ipvsadm -Ln output: the lab rebuilds the service {service} from it', 'include the ipvsadm -A/-a commands next time'], ru: ['IPVS показан только выводом ipvsadm -Ln: стенд восстанавливает сервис {service} по нему', 'в следующий раз приложите команды ipvsadm -A/-a'] },
  'vip-not-ipvs-service': { severity: 'error', en: ['the IPVS service is on {service}, the VIP is {vip}: clients of the VIP are not balanced', 'create the service on the VIP'], ru: ['сервис IPVS на {service}, а VIP — {vip}: запросы к VIP не балансируются', 'создайте сервис на адресе VIP'] },
  'ipvs-no-real-servers': { severity: 'error', en: ['the IPVS service {service} has no real servers', 'add both backends (ipvsadm -a … -r BACKEND:80 -g, or real_server blocks)'], ru: ['у сервиса IPVS {service} нет реальных серверов', 'добавьте оба бэкенда (ipvsadm -a … -r BACKEND:80 -g или блоки real_server)'] },
  'ipvs-services-differ': { severity: 'warning', en: ['balancer1 and balancer2 set up IPVS differently ({detail}): after failover clients see another service', 'use the same IPVS set-up on both'], ru: ['IPVS на balancer1 и balancer2 настроен по-разному ({detail}): после переключения клиенты получат другой сервис', 'настройте IPVS одинаково на обеих нодах'] },
  'persistence-timeout': { severity: 'warning', en: ['persistent service ({seconds} s): one client always lands on the same backend, so the balance cannot be shown from one client', 'remove persistence_timeout / ipvsadm -p for this homework'], ru: ['постоянный сервис ({seconds} с): один клиент всегда попадает на один бэкенд, баланс с одного клиента не показать', 'уберите persistence_timeout / ipvsadm -p в этом задании'] },
  'scheduler-invalid': { severity: 'error', en: ['scheduler "{value}" is not one IPVS has (rr, wrr, lc, wlc, sh, dh, …): keepalived ignores it', 'use rr'], ru: ['планировщика "{value}" нет в IPVS (rr, wrr, lc, wlc, sh, dh, …): keepalived его проигнорирует', 'используйте rr'] },
  'scheduler-sticky': { severity: 'warning', en: ['scheduler {value} hashes the address: one client always reaches one backend', 'use rr to show the balance'], ru: ['планировщик {value} хеширует адрес: один клиент всегда попадает на один бэкенд', 'используйте rr, чтобы показать балансировку'] },
  'forwarding-invalid': { severity: 'error', en: ['forwarding method "{value}" is not NAT, DR or TUN: keepalived rejects it', 'use lb_kind DR'], ru: ['метод "{value}" — не NAT, DR и не TUN: keepalived его не примет', 'используйте lb_kind DR'] },
  'forwarding-not-dr': { severity: 'warning', en: ['IPVS forwards by {value}; the lab\'s backends are set up for direct routing (DR)', 'use direct routing (-g, lb_kind DR) as in the lecture'], ru: ['IPVS пересылает методом {value}; бэкенды стенда настроены на прямую маршрутизацию (DR)', 'используйте прямую маршрутизацию (-g, lb_kind DR), как на лекции'] },
  'synonym-keyword': { severity: 'info', en: ['{keyword} is keepalived\'s synonym of {canonical}: accepted', 'nothing to do'], ru: ['{keyword} — синоним {canonical} в keepalived: принято', 'ничего делать не нужно'] },

  // ---- keepalived -t on a node
  'keepalived-error': { severity: 'error', en: ['keepalived -t: {text}', 'fix this line: keepalived rejects or ignores it'], ru: ['keepalived -t: {text}', 'исправьте эту строку: keepalived её отвергает или игнорирует'] },
  'keepalived-warning': { severity: 'warning', en: ['keepalived -t: {text}', 'keepalived accepts the file but changes or drops this setting'], ru: ['keepalived -t: {text}', 'keepalived примет файл, но изменит или отбросит эту настройку'] },
  'keepalived-note': { severity: 'info', en: ['keepalived -t: {text}', 'expected in the lab, nothing to do'], ru: ['keepalived -t: {text}', 'ожидаемо для стенда, ничего делать не нужно'] },
} as const satisfies Record<string, Entry>;

export type FindingCode = keyof typeof MESSAGES;

/** Puts a raw finding into words; an unknown code is a programming error, so it throws. */
export function describeFinding(raw: RawFinding, lang: Lang): Finding {
  const entry: Entry | undefined = (MESSAGES as Record<string, Entry>)[raw.code];
  if (!entry) throw new Error(`no message for finding code ${raw.code}`);
  const [message, hint] = entry[lang];
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (match, name: string) => String(raw.params?.[name] ?? match));
  return { severity: entry.severity, code: raw.code, file: raw.file, ...(raw.line !== undefined ? { line: raw.line } : {}), message: fill(message), hint: fill(hint) };
}

export function severityOf(code: string): Severity {
  const entry: Entry | undefined = (MESSAGES as Record<string, Entry>)[code];
  if (!entry) throw new Error(`no message for finding code ${code}`);
  return entry.severity;
}
