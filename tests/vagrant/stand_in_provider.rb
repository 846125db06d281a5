# A stand-in for VirtualBox, for tests only: VirtualBox cannot run on CI machines, but Vagrant can.
# It reports every machine as running with SSH on 127.0.0.1 (port 2200 + index, a key path with a
# space), so `vagrant status` and `vagrant ssh-config` run Vagrant's own code on the project's
# Vagrantfile. Nothing listens on those ports and nothing connects to them.
class FailoverLabStandInProvider < Vagrant.plugin('2', :provider)
  def self.usable?(_raise_error = false)
    true
  end

  def initialize(machine)
    super
    @machine = machine
  end

  def action(_name)
    nil
  end

  def state
    Vagrant::MachineState.new(:running, 'running', 'stand-in machine (tests only)')
  end

  def ssh_info
    index = @machine.env.machine_names.index(@machine.name) || 0
    {
      host: '127.0.0.1',
      port: 2200 + index,
      username: 'vagrant',
      private_key_path: [File.join(ENV.fetch('STAND_IN_KEY_DIR', '/tmp/failover lab keys'), @machine.name.to_s, 'private_key')],
    }
  end
end

class FailoverLabStandInPlugin < Vagrant.plugin('2')
  name 'failover-lab stand-in provider'
  provider(:failover_lab_stand_in, priority: 1) { FailoverLabStandInProvider }
end
