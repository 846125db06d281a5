export const usage = `usage: failover-lab COMMAND [options]

commands:
  up                      bring the lab up (uml: builds the node image once; vagrant: vagrant up on
                          VirtualBox, or on libvirt where VirtualBox is missing: builds its box once),
                          provision it, wait for the VIP
    --background          at background CPU priority (root, uml or libvirt: the lab's cgroup, idle
                          or at the lowest weight), to come up beside another lab's scenario without
                          slowing it; its own failover or connections run raises it
  down                    remove the lab: every process, VM, interface and file it made
  status                  table of nodes, keepalived state, VIP holder, IPVS service
  ssh NODE                interactive root shell on a node
  exec NODE COMMAND...    run one command on a node; exits with its exit code
  image [--rebuild]       build the node image (needs root once); --provider vagrant: the libvirt box
  doctor                  can this host run the lab? one line per check, with the fix for each problem
  render [--out DIR]      write each node's provisioning files for a plain 'vagrant up'
                          (default DIR: .vagrant/failover-lab/node-files, where the Vagrantfile looks)
  failover [--mode M] [--fault F] [--node N]
                          a failover scenario on the lab (brought up if needed): load through
                          the VIP, fault F (default link-down: ip link set down eth1) on node N
                          (default: the fault's own target, e.g. the master), checks against the
                          fault's expected outcome, report; --fault all runs the whole catalogue
                          and writes one summary table; M is new-connection (default) or
                          keep-alive; exits 1 if a run does not show its expected outcome
  connections             homework Q1 measured on the lab (brought up if needed): N keep-alive
                          connections held open through the VIP, then closed, while the VIP
                          holder's ipvsadm -Ln is sampled: ActiveConn, then InActConn until
                          IPVS's tcpfin timeout; report with both curves; exits 1 if a check fails
    --connections N       connections to hold (default 20)
    --hold S              seconds to hold them open (default 6)
    --fin-timeout S       IPVS's tcpfin timeout for the run, restored after (default 10; the node's is 120)
  grade SUBMISSION...     grade students' homework: each SUBMISSION (a markdown file, a student's
                          repository folder, or a folder of configs) is checked statically, then
                          run in a lab of its own through the failover scenario; writes
                          OUT/<id>/{grade.json,feedback.md} and OUT/grades.csv, OUT/junit.xml;
                          exits 0 when every submission passes, 1 when any fails or errs
    --course DIR          grade every file or folder in DIR as one submission each
    --out DIR             where grades go (default: reports/grades-<time>)
    --lang en|ru          language of the feedback (default en)
    --rubric FILE         points and pass rule (default grading/homework-3.8.yaml)
    --jobs N              labs at once (default: from cores and free memory: per two cores one in
                          its scenario, and two coming up beside it at background CPU priority)
    --shard I/N           grade only shard I of N (stable: by a hash of each submission's name)
    --timeout S           wall-clock limit per submission, its wait for a scenario turn included,
                          seconds (default 300)
    --static-only         no lab: the static checks alone
    --every-lab           a lab for every submission, also when an earlier one of the batch built
                          the same lab (by default that lab's run is taken, and the grade says so)
  grade --merge DIR...    join the grades of several --out folders (e.g. CI shards) into one
                          grades.csv and junit.xml in --out

options:
  --spec FILE             lab spec (default: lab/seed.yaml)
  --name NAME             lab name (default: the spec's name); labs with different names can run at once
  --provider P            uml (User-Mode Linux, the default on Linux) or vagrant (VirtualBox);
                          also LAB_PROVIDER=P. A running lab keeps the provider it was made with.
`;
