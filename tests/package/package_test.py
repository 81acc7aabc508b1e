#!/usr/bin/env python3
"""The Debian packages, as an operator gets them.

  package_test.py BUILD_DIR VERSION [DEB_DIR]

(with DEB_DIR, the packages already built there are tested instead of
building them again)

Builds monipaikka-server, monipaikka-edge and monipaikka-client with CPack
(into a temporary directory), inspects them (files, modes, owners,
dependencies, conffiles, maintainer scripts), installs them with dpkg into a
throwaway root (dpkg --root with --force-script-chrootless: the maintainer
scripts run and act on that root through DPKG_ROOT, never on this machine),
checks what the installation made (the service user, the directories, the
pseudonym key, the enabled units), runs the installed programs, starts the
installed server the way its unit does (flag file, credentials directory,
systemd's notify socket, watchdog and journal stream stood in for), checks the
units with systemd-analyze, runs the backup script's retention, purges the
packages again and then runs the removal for good of docs/operations.md's
Uninstall section (rm -rf of the data, userdel) inside the root. Prints one
line per check and "N passed, M failed".
"""

import glob
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

PASSED = []
FAILED = []


def check(condition, what, detail=""):
    if condition:
        PASSED.append(what)
        print(f"ok    {what}")
    else:
        FAILED.append(what)
        print(f"FAIL  {what}")
        if detail:
            print("      " + str(detail).replace("\n", "\n      ")[:4000])
    return condition


def run(args, **kwargs):
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    kwargs.setdefault("timeout", 120)
    return subprocess.run(args, **kwargs)


def deb_contents(deb):
    """path -> (mode string, owner) of every entry of the package."""
    listing = run(["dpkg-deb", "-c", deb]).stdout
    entries = {}
    for line in listing.splitlines():
        parts = line.split(None, 5)
        if len(parts) < 6:
            continue
        mode, owner, path = parts[0], parts[1], parts[5]
        path = path.split(" -> ")[0]
        entries[path.rstrip("/") or "."] = (mode, owner)
    return entries


def deb_field(deb, field):
    return run(["dpkg-deb", "-f", deb, field]).stdout.strip()


def unit_value(unit_text, key):
    values = re.findall(rf"^{key}=(.*)$", unit_text, re.MULTILINE)
    return values[-1] if values else None


def passwd_entry(root, user):
    with open(os.path.join(root, "etc/passwd")) as passwd:
        for line in passwd:
            fields = line.rstrip("\n").split(":")
            if fields[0] == user:
                return fields
    return None


def web_dist(build_dir):
    """The built web dashboard the server package installs (the build's
    MONIPAIKKA_WEB_DIST), as {path in the package: content}."""
    with open(os.path.join(build_dir, "CMakeCache.txt")) as cache:
        dist = re.search(r"^MONIPAIKKA_WEB_DIST:PATH=(.*)$", cache.read(),
                         re.MULTILINE).group(1)
    files = {}
    for directory, _, names in os.walk(dist):
        for name in names:
            path = os.path.join(directory, name)
            with open(path, "rb") as f:
                files["./usr/share/monipaikka/web/" +
                      os.path.relpath(path, dist)] = f.read()
    return files


def inspect_packages(debs, version, web):
    arch = run(["dpkg", "--print-architecture"]).stdout.strip()
    for name in ("monipaikka-server", "monipaikka-edge", "monipaikka-client"):
        check(name in debs, f"{name}: package built",
              f"built: {sorted(debs)}")
    if len(debs) != 3:
        return False
    for name, deb in debs.items():
        check(os.path.basename(deb) == f"{name}_{version}-1_{arch}.deb",
              f"{name}: file name {name}_{version}-1_{arch}.deb",
              os.path.basename(deb))
        check(deb_field(deb, "Version") == f"{version}-1",
              f"{name}: version {version}-1")
        check(deb_field(deb, "Maintainer") != "", f"{name}: has a maintainer")
        description = deb_field(deb, "Description")
        check(len(description.splitlines()) >= 2,
              f"{name}: synopsis and long description", description)

    # Dependencies: the libraries the programs link (dpkg-shlibdeps) and
    # what the maintainer scripts call.
    depends = {name: deb_field(deb, "Depends") for name, deb in debs.items()}
    for name, needed in {
        "monipaikka-server": ["libc6", "libgrpc++1.51", "libprotobuf32",
                              "libsqlite3-0", "libsystemd0", "libssl3",
                              "systemd (>= 247)", "init-system-helpers"],
        "monipaikka-edge": ["libc6", "libgrpc++1.51", "libmosquitto1",
                            "libsqlite3-0", "libsystemd0", "systemd"],
        "monipaikka-client": ["libc6", "libgrpc++1.51", "libprotobuf32"],
    }.items():
        for package in needed:
            check(package in depends[name], f"{name}: depends on {package}",
                  depends[name])
    check("libsystemd0" not in depends["monipaikka-client"] and
          "systemd" not in depends["monipaikka-client"],
          "monipaikka-client: needs no systemd", depends["monipaikka-client"])

    expected = {
        "monipaikka-server": {
            "./usr/bin/monipaikka-server": "-rwxr-xr-x",
            "./lib/systemd/system/monipaikka-server.service": "-rw-r--r--",
            "./lib/systemd/system/monipaikka-backup.service": "-rw-r--r--",
            "./lib/systemd/system/monipaikka-backup.timer": "-rw-r--r--",
            "./usr/lib/sysusers.d/monipaikka-server.conf": "-rw-r--r--",
            "./usr/lib/tmpfiles.d/monipaikka-server.conf": "-rw-r--r--",
            "./etc/monipaikka/server.flags": "-rw-r--r--",
            "./etc/monipaikka/backup.env": "-rw-r--r--",
            "./usr/lib/monipaikka/monipaikka-backup": "-rwxr-xr-x",
            "./usr/share/doc/monipaikka-server/operations.md": "-rw-r--r--",
        },
        "monipaikka-edge": {
            "./usr/bin/monipaikka-edge": "-rwxr-xr-x",
            "./lib/systemd/system/monipaikka-edge@.service": "-rw-r--r--",
            "./usr/lib/sysusers.d/monipaikka-edge.conf": "-rw-r--r--",
            "./usr/lib/tmpfiles.d/monipaikka-edge.conf": "-rw-r--r--",
            "./etc/monipaikka/edge.flags": "-rw-r--r--",
            "./usr/share/doc/monipaikka-edge/operations.md": "-rw-r--r--",
            "./usr/share/doc/monipaikka-edge/edge-inputs.md": "-rw-r--r--",
            "./usr/share/doc/monipaikka-edge/edge-inputs.example.json":
                "-rw-r--r--",
        },
        "monipaikka-client": {
            "./usr/bin/monipaikka": "-rwxr-xr-x",
        },
    }
    check("./usr/share/monipaikka/web/index.html" in web,
          "the web dashboard is built", sorted(web)[:5])
    expected["monipaikka-server"].update(
        {path: "-rw-r--r--" for path in web})
    for name, files in expected.items():
        contents = deb_contents(debs[name])
        regular = {path for path, (mode, _) in contents.items()
                   if not mode.startswith("d")}
        check(regular == set(files), f"{name}: exactly the expected files",
              f"extra: {sorted(regular - set(files))}, "
              f"missing: {sorted(set(files) - regular)}")
        for path, mode in files.items():
            got = contents.get(path, ("absent", ""))[0]
            check(got == mode, f"{name}: {path} is {mode}", got)
        owners = {owner for _, owner in contents.values()}
        check(owners == {"root/root"}, f"{name}: every entry root/root",
              owners)
        check(not any("pseudonym.key" in path for path in contents),
              f"{name}: ships no key (postinst makes one per installation)")
        programs = [path for path, mode in files.items()
                    if path.startswith("./usr/bin/")]
        extracted = tempfile.mkdtemp(prefix="deb-")
        run(["dpkg-deb", "-x", debs[name], extracted])
        for program in programs:
            kind = run(["file", "-b", os.path.join(extracted, program)]).stdout
            check("ELF" in kind and ", stripped" in kind,
                  f"{name}: {program} is stripped", kind)
        shutil.rmtree(extracted)

    # Control files: conffiles, and maintainer scripts dpkg can run.
    for name, conffiles in {
        "monipaikka-server": ["/etc/monipaikka/server.flags",
                              "/etc/monipaikka/backup.env"],
        "monipaikka-edge": ["/etc/monipaikka/edge.flags"],
    }.items():
        control = tempfile.mkdtemp(prefix="control-")
        run(["dpkg-deb", "-e", debs[name], control])
        with open(os.path.join(control, "conffiles")) as listed:
            check(listed.read().split() == conffiles,
                  f"{name}: conffiles {' '.join(conffiles)}")
        check(os.stat(os.path.join(control, "conffiles")).st_mode & 0o777 ==
              0o644, f"{name}: conffiles 0644")
        for script in ("postinst", "prerm", "postrm"):
            path = os.path.join(control, script)
            mode = os.stat(path).st_mode & 0o777 if os.path.exists(path) else 0
            check(mode == 0o755, f"{name}: {script} 0755", oct(mode))
            syntax = run(["sh", "-n", path])
            check(syntax.returncode == 0, f"{name}: {script} is valid sh",
                  syntax.stderr)
        shutil.rmtree(control)
    return True


def install(root, debs, log):
    """dpkg -i into `root`, a throwaway system with its own dpkg database."""
    for directory in ("var/lib/dpkg/info", "var/lib/dpkg/updates",
                      "var/lib/dpkg/triggers", "etc"):
        os.makedirs(os.path.join(root, directory), exist_ok=True)
    open(os.path.join(root, "var/lib/dpkg/status"), "a").close()
    result = run(["dpkg", f"--root={root}", "--force-script-chrootless",
                  "--force-depends", "--force-not-root", f"--log={log}",
                  "-i"] + [debs[name] for name in sorted(debs)])
    check(result.returncode == 0, "dpkg -i of the three packages",
          result.stdout + result.stderr)
    return result.stdout + result.stderr


def check_installation(root, dpkg_output):
    for name in ("monipaikka-server", "monipaikka-edge", "monipaikka-client"):
        status = run(["dpkg", f"--root={root}", "-s", name]).stdout
        check("Status: install ok installed" in status,
              f"{name}: installed", status)
    user = passwd_entry(root, "monipaikka")
    check(user is not None and user[6] == "/usr/sbin/nologin",
          "user monipaikka created (systemd-sysusers), no login shell", user)
    if user is None:
        return
    uid = int(user[2])
    for directory in ("var/lib/monipaikka", "var/backups/monipaikka",
                      "var/lib/monipaikka-edge"):
        path = os.path.join(root, directory)
        info = os.stat(path) if os.path.isdir(path) else None
        check(info is not None and stat.S_IMODE(info.st_mode) == 0o700 and
              info.st_uid == uid,
              f"/{directory} 0700 monipaikka (systemd-tmpfiles)",
              info and (oct(info.st_mode), info.st_uid))
    key = os.path.join(root, "etc/monipaikka/pseudonym.key")
    info = os.stat(key) if os.path.exists(key) else None
    check(info is not None and stat.S_IMODE(info.st_mode) == 0o600 and
          info.st_uid == 0, "pseudonym key created, root, mode 0600",
          info and oct(info.st_mode))
    if info is not None:
        with open(key) as key_file:
            check(re.fullmatch(r"[0-9a-f]{64}\n", key_file.read()) is not None,
                  "pseudonym key: 64 hex digits (32 random bytes)")
    check("created the pseudonym key" in dpkg_output,
          "postinst tells the operator to back up the key", dpkg_output)
    for link, unit in (
            ("multi-user.target.wants/monipaikka-server.service",
             "monipaikka-server.service"),
            ("timers.target.wants/monipaikka-backup.timer",
             "monipaikka-backup.timer")):
        path = os.path.join(root, "etc/systemd/system", link)
        check(os.path.islink(path) and
              os.readlink(path) == f"/lib/systemd/system/{unit}",
              f"{unit} enabled", path)
    wants = glob.glob(os.path.join(root, "etc/systemd/system/*.wants/*edge*"))
    check(wants == [], "no edge agent enabled before a gateway is configured",
          wants)


def check_programs(root, version):
    commit = r"([0-9a-f]{7,40}|unknown)"
    for program in ("monipaikka-server", "monipaikka-edge", "monipaikka"):
        result = run([os.path.join(root, "usr/bin", program), "--version"])
        check(result.returncode == 0 and re.fullmatch(
            rf"{program} {re.escape(version)} \(commit {commit}\)\n",
            result.stdout) is not None,
            f"{program} --version: version and commit", result.stdout +
            result.stderr)
    help_texts = {}
    for program, flags in {
        "monipaikka-server": ["--db", "--listen", "--pseudonym_key_file",
                              "--bootstrap_admin_token_file",
                              "--metrics_listen", "--tls_cert_file"],
        "monipaikka-edge": ["--gateway", "--inputs", "--outbox", "--server",
                            "--simulate", "--tls_key_file"],
    }.items():
        result = run([os.path.join(root, "usr/bin", program), "--help"])
        help_texts[program] = result.stdout
        for flag in flags:
            check(re.search(rf"^\s+{flag} \(", result.stdout, re.MULTILINE)
                  is not None, f"{program} --help lists {flag}",
                  result.stdout[:2000])
    result = run([os.path.join(root, "usr/bin/monipaikka"), "--help"])
    check(result.returncode == 0 and "--version" in result.stdout,
          "monipaikka --help lists --version", result.stdout[:2000])

    # The commented defaults of the flag files are the programs' defaults.
    for program, flag_file in (("monipaikka-server", "server.flags"),
                               ("monipaikka-edge", "edge.flags")):
        with open(os.path.join(root, "etc/monipaikka", flag_file)) as flags:
            text = flags.read()
        commented = re.findall(r"^#--(\w+)=(\S+)\s*$", text, re.MULTILINE)
        check(len(commented) >= 3, f"{flag_file}: commented flags", commented)
        for name, value in commented:
            # "--name (help); default: value;" wrapped over lines, within
            # this flag's entry.
            match = re.search(
                rf"^\s+--{name} \((?:(?!\n\s+--\w+ \().)*?\);\s+"
                rf"default: \"?(.*?)\"?;$",
                help_texts[program], re.DOTALL | re.MULTILINE)
            if name in ("listen", "tls_cert_file", "tls_key_file",
                        "tls_client_ca_file", "server", "tls_ca_file",
                        "metrics_listen", "http_listen"):
                # Examples of a setting, not its default.
                check(match is not None, f"{flag_file}: --{name} is a flag")
                continue
            check(match is not None and match.group(1) == value,
                  f"{flag_file}: #--{name}={value} is the default",
                  match and match.group(1))
        for name in re.findall(r"^--(\w+)=", text, re.MULTILINE):
            check(re.search(rf"^\s+--{name} \(", help_texts[program],
                            re.MULTILINE) is not None,
                  f"{flag_file}: --{name} is a flag of {program}")


def check_units(root):
    units = os.path.join(root, "lib/systemd/system")
    with open(os.path.join(units, "monipaikka-server.service")) as unit:
        server = unit.read()
    with open(os.path.join(units, "monipaikka-edge@.service")) as unit:
        edge = unit.read()
    for name, text in (("server", server), ("edge", edge)):
        check(unit_value(text, "Type") == "notify", f"{name} unit: Type=notify")
        check(unit_value(text, "WatchdogSec") is not None,
              f"{name} unit: WatchdogSec")
        check(unit_value(text, "User") == "monipaikka",
              f"{name} unit: runs as monipaikka")
        check(unit_value(text, "UMask") == "0077", f"{name} unit: UMask=0077")
        check(unit_value(text, "CapabilityBoundingSet") == "",
              f"{name} unit: empty CapabilityBoundingSet")
        check(unit_value(text, "RestartPreventExitStatus") == "2",
              f"{name} unit: no restart on a configuration error (exit 2)")
        for setting in ("PrivateDevices=yes", "ProtectKernelTunables=yes",
                        "ProtectKernelModules=yes", "ProtectControlGroups=yes",
                        "RestrictNamespaces=yes", "NoNewPrivileges=yes",
                        "ProtectSystem=strict",
                        "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
                        "SystemCallFilter=@system-service"):
            check(re.search(rf"^{re.escape(setting)}$", text, re.MULTILINE)
                  is not None, f"{name} unit: {setting}")
        check(unit_value(text, "LoadCredential") is not None,
              f"{name} unit: a secret through LoadCredential=")
        exec_start = unit_value(text, "ExecStart")
        check("%d/" in exec_start,
              f"{name} unit: the secret read from the credentials directory",
              exec_start)
    edge_exec = unit_value(edge, "ExecStart")
    check("--inputs=/etc/monipaikka/edge-%i.json" in edge_exec and
          "--simulate" not in edge_exec,
          "edge unit: real inputs of /etc/monipaikka/edge-<gateway>.json, "
          "no simulator", edge_exec)

    # systemd-analyze verify: syntax, known settings, the programs exist.
    # The programs are looked for in the throwaway root, and the template is
    # verified as an instance of it.
    verify_dir = tempfile.mkdtemp(prefix="units-")
    for unit, copy in (
            ("monipaikka-server.service", "monipaikka-server.service"),
            ("monipaikka-backup.service", "monipaikka-backup.service"),
            ("monipaikka-backup.timer", "monipaikka-backup.timer"),
            ("monipaikka-edge@.service", "monipaikka-edge@gw-test.service")):
        with open(os.path.join(units, unit)) as src:
            text = src.read()
        for prefix in ("/usr/bin/", "/usr/lib/monipaikka/"):
            text = text.replace(prefix, root + prefix)
        with open(os.path.join(verify_dir, copy), "w") as dst:
            dst.write(text)
    analyze = shutil.which("systemd-analyze")
    if not check(analyze is not None, "systemd-analyze is installed"):
        return
    for unit in sorted(os.listdir(verify_dir)):
        result = run([analyze, "verify", os.path.join(verify_dir, unit)])
        # verify exits 0 on settings it ignores: any line is a problem.
        output = (result.stdout + result.stderr).strip()
        check(result.returncode == 0 and output == "",
              f"systemd-analyze verify {unit}", output)
    for unit in ("monipaikka-server.service",
                 "monipaikka-edge@gw-test.service"):
        result = run([analyze, "security", "--offline=yes",
                      os.path.join(verify_dir, unit)])
        match = re.search(r"Overall exposure level for \S+: ([0-9.]+)",
                          result.stdout + result.stderr)
        exposure = float(match.group(1)) if match else 99
        check(exposure <= 2.0,
              f"systemd-analyze security {unit}: exposure {exposure} <= 2.0",
              (result.stdout + result.stderr)[-3000:])
    shutil.rmtree(verify_dir)


class NotifySocket:
    """Stands in for systemd's notify socket (NOTIFY_SOCKET): like systemd,
    it reads every message as it comes (a full socket would block the
    sender)."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.settimeout(0.05)
        self.messages = []
        self.lock = threading.Lock()
        self.closing = False
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while not self.closing:
            try:
                message = self.sock.recv(4096).decode()
            except socket.timeout:
                continue
            except OSError:
                return
            with self.lock:
                self.messages.append(message)

    def wait_for(self, text, timeout_s):
        deadline = time.monotonic() + timeout_s
        while True:
            with self.lock:
                if any(text in message for message in self.messages):
                    return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)

    def close(self):
        self.closing = True
        self.reader.join()
        self.sock.close()


def start_like_the_unit(root, tmp, web):
    """Runs the installed server with its unit's ExecStart, the paths moved
    into `root` and the ports made free ones (port 0)."""
    with open(os.path.join(root, "lib/systemd/system/"
                           "monipaikka-server.service")) as unit:
        exec_start = unit_value(unit.read(), "ExecStart").split()
    credentials = os.path.join(tmp, "credentials")
    os.makedirs(credentials, mode=0o700)
    # What LoadCredential= does: a copy only the service can read.
    shutil.copy(os.path.join(root, "etc/monipaikka/pseudonym.key"),
                os.path.join(credentials, "pseudonym.key"))
    os.chmod(os.path.join(credentials, "pseudonym.key"), 0o400)

    def into_root(text):
        for prefix in ("/etc/monipaikka", "/var/lib/monipaikka", "/usr/bin",
                       "/usr/share/monipaikka"):
            text = text.replace(prefix, root + prefix)
        return text

    with open(os.path.join(root, "etc/monipaikka/server.flags")) as flags:
        flag_text = flags.read()
    check(re.search(r"^--http_listen=127\.0\.0\.1:8080$", flag_text,
                    re.MULTILINE) is not None,
          "server.flags: the dashboard on 127.0.0.1:8080")
    check(re.search(r"^--web_root=/usr/share/monipaikka/web$", flag_text,
                    re.MULTILINE) is not None,
          "server.flags: --web_root is where the package puts the dashboard")
    flag_text = into_root(flag_text)
    flag_text = re.sub(r"^--listen=.*$", "--listen=127.0.0.1:0", flag_text,
                       flags=re.MULTILINE)
    flag_text = re.sub(r"^--metrics_listen=.*$", "--metrics_listen=127.0.0.1:0",
                       flag_text, flags=re.MULTILINE)
    flag_text = re.sub(r"^--http_listen=.*$", "--http_listen=127.0.0.1:0",
                       flag_text, flags=re.MULTILINE)
    moved_flags = os.path.join(tmp, "server.flags")
    with open(moved_flags, "w") as flags:
        flags.write(flag_text)

    args = []
    for arg in exec_start:
        arg = arg.replace("%d", credentials)
        if arg.startswith("--flagfile="):
            arg = "--flagfile=" + moved_flags
        args.append(into_root(arg))
    port_file = os.path.join(tmp, "port")
    metrics_port_file = os.path.join(tmp, "metrics_port")
    http_port_file = os.path.join(tmp, "http_port")
    args += [f"--port_file={port_file}",
             f"--metrics_port_file={metrics_port_file}",
             f"--http_port_file={http_port_file}"]
    check(args[0] == os.path.join(root, "usr/bin/monipaikka-server"),
          "unit ExecStart runs /usr/bin/monipaikka-server", args[0])

    notify = NotifySocket(os.path.join(tmp, "notify"))
    log_path = os.path.join(tmp, "server.log")
    log = open(log_path, "w")
    journal = os.fstat(log.fileno())
    env = dict(os.environ)
    env.update({
        "NOTIFY_SOCKET": notify.path,
        "WATCHDOG_USEC": "400000",
        "JOURNAL_STREAM": f"{journal.st_dev}:{journal.st_ino}",
    })
    server = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=log,
                              env=env)
    try:
        ready = notify.wait_for("READY=1", 60)
        check(ready, "server: READY=1 to systemd once serving",
              notify.messages)
        check(notify.wait_for("WATCHDOG=1", 5),
              "server: WATCHDOG=1 pings", notify.messages)
        check(any("STATUS=serving on port" in m for m in notify.messages),
              "server: STATUS= says it serves", notify.messages)
        token = os.path.join(root, "var/lib/monipaikka/admin.token")
        info = os.stat(token) if os.path.exists(token) else None
        check(info is not None and stat.S_IMODE(info.st_mode) == 0o600,
              "server: bootstrap admin token written, mode 0600",
              info and oct(info.st_mode))
        database = os.path.join(root, "var/lib/monipaikka/monipaikka.db")
        info = os.stat(database) if os.path.exists(database) else None
        check(info is not None and stat.S_IMODE(info.st_mode) == 0o600,
              "server: database created, mode 0600",
              info and oct(info.st_mode))
        if ready and os.path.exists(metrics_port_file):
            with open(metrics_port_file) as port:
                metrics_port = int(port.read())
            metrics = urllib.request.urlopen(
                f"http://127.0.0.1:{metrics_port}/metrics", timeout=10
            ).read().decode()
            check(re.search(r'^monipaikka_build_info\{version="[0-9.]+",'
                            r'commit="([0-9a-f]+|unknown)"\} 1$', metrics,
                            re.MULTILINE) is not None,
                  "server: monipaikka_build_info metric",
                  [line for line in metrics.splitlines()
                   if "build_info" in line])
        # The installed dashboard: its page and every script it names.
        if ready and os.path.exists(http_port_file):
            with open(http_port_file) as port:
                http_port = int(port.read())
            base = f"http://127.0.0.1:{http_port}/"
            page = urllib.request.urlopen(base, timeout=10).read()
            check(page == web["./usr/share/monipaikka/web/index.html"],
                  "server: serves the packaged dashboard at /", page[:200])
            named = re.findall(r'(?:src|href)="(assets/[^"]+)"', page.decode())
            served = [urllib.request.urlopen(base + asset, timeout=10).read()
                      == web["./usr/share/monipaikka/web/" + asset]
                      for asset in named]
            check(len(named) >= 2 and all(served),
                  "server: serves the scripts and style sheet the page names",
                  list(zip(named, served)))
        # The installed edge agent against it: READY=1 once its loop runs,
        # then WATCHDOG=1 pings (the simulator only stands in for inputs).
        if ready and os.path.exists(port_file):
            with open(port_file) as port:
                server_port = int(port.read())
            os.makedirs(os.path.join(tmp, "edge"))
            edge_notify = NotifySocket(os.path.join(tmp, "edge-notify"))
            edge = subprocess.Popen(
                [os.path.join(root, "usr/bin/monipaikka-edge"),
                 "--gateway=gw-notify", f"--server=127.0.0.1:{server_port}",
                 f"--token_file={token}",
                 f"--outbox={os.path.join(tmp, 'edge', 'outbox.db')}",
                 "--simulate"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env=dict(os.environ, NOTIFY_SOCKET=edge_notify.path,
                         WATCHDOG_USEC="400000"))
            try:
                check(edge_notify.wait_for("READY=1", 60),
                      "edge: READY=1 to systemd once its loop runs",
                      edge_notify.messages)
                check(edge_notify.wait_for("WATCHDOG=1", 5),
                      "edge: WATCHDOG=1 pings", edge_notify.messages)
            finally:
                edge.send_signal(signal.SIGTERM)
                try:
                    edge_status = edge.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    edge.kill()
                    edge_status = edge.wait()
            check(edge_status == 0 and edge_notify.wait_for("STOPPING=1", 2),
                  "edge: SIGTERM stops it cleanly, STOPPING=1",
                  (edge_status, edge_notify.messages))
            edge_notify.close()

        # A second server on the same port: the address is in use (no
        # SO_REUSEPORT sharing), gRPC's own error comes through the logger
        # with its priority, and the start fails with status 1 (restarted).
        if ready and os.path.exists(port_file):
            with open(port_file) as port:
                taken = int(port.read())
            # Its database apart from the credentials, as the server wants.
            os.makedirs(os.path.join(tmp, "second"))
            second_log = os.path.join(tmp, "second.log")
            with open(second_log, "w") as second_err:
                stream = os.fstat(second_err.fileno())
                second = subprocess.run(
                    args + [f"--listen=127.0.0.1:{taken}",
                            "--metrics_listen=",
                            f"--db={os.path.join(tmp, 'second', 'second.db')}",
                            "--bootstrap_admin_token_file="],
                    stdout=subprocess.DEVNULL, stderr=second_err, timeout=60,
                    env=dict(os.environ, JOURNAL_STREAM=f"{stream.st_dev}:"
                             f"{stream.st_ino}"))
            with open(second_log) as second_err:
                second_lines = second_err.read()
            check(second.returncode == 1,
                  "server: a port in use fails the start (status 1)",
                  second.returncode)
            check(re.search(r"^<3>ts=\S+ level=error event=grpc_log "
                            r"source=\S+ message=.*Address already in use",
                            second_lines, re.MULTILINE) is not None,
                  "server: gRPC's error line through the logger, priority 3",
                  second_lines)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            status = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            status = server.wait()
        log.close()
    check(status == 0, "server: SIGTERM stops it cleanly (status 0)", status)
    check(notify.wait_for("STOPPING=1", 2), "server: STOPPING=1 to systemd",
          notify.messages)
    notify.close()

    # A restart (the database now holds an admin token) writes no new one,
    # even when the file was deleted.
    token = os.path.join(root, "var/lib/monipaikka/admin.token")
    if os.path.exists(token):
        os.remove(token)
    notify = NotifySocket(os.path.join(tmp, "notify-again"))
    again = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL,
                             env=dict(os.environ, NOTIFY_SOCKET=notify.path))
    try:
        check(notify.wait_for("READY=1", 60), "server: ready again after a "
              "restart", notify.messages)
        check(not os.path.exists(token),
              "server: a restart mints no second bootstrap admin token")
    finally:
        again.send_signal(signal.SIGTERM)
        try:
            again.wait(timeout=30)
        except subprocess.TimeoutExpired:
            again.kill()
            again.wait()
        notify.close()
    with open(log_path) as log_file:
        lines = log_file.read().splitlines()
    check(lines and all(re.match(r"<[2-7]>ts=", line) for line in lines),
          "server: every line carries its journald priority (<N>)",
          "\n".join(lines[:20]))
    check(any(line.startswith("<6>ts=") and "level=info event=serving" in
              line for line in lines),
          "server: info lines are priority 6", "\n".join(lines[:20]))

    # A configuration error exits 2, which the unit does not restart.
    bad = run(args + ["--no_such_flag=1"])
    check(bad.returncode == 2, "server: an unknown flag exits 2",
          bad.returncode)
    bad = run(args + ["--anonymity_k=1"])
    check(bad.returncode == 2 and "anonymity_k" in bad.stderr,
          "server: a bad value exits 2 naming the flag", bad.stderr)

    # The edge unit with a gateway that has no inputs file yet: a
    # configuration error naming the file, not a simulation.
    with open(os.path.join(root, "lib/systemd/system/"
                           "monipaikka-edge@.service")) as unit:
        edge_exec = unit_value(unit.read(), "ExecStart").replace(
            "%i", "gw-test").replace("%d", credentials).split()
    edge_args = [into_root(arg).replace("/var/lib/monipaikka-edge",
                                        root + "/var/lib/monipaikka-edge")
                 for arg in edge_exec]
    # The gateway's certificate and key are in place; its inputs file not.
    made = run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=gw-test",
                "-days", "1", "-keyout", os.path.join(credentials, "tls.key"),
                "-out", os.path.join(root, "etc/monipaikka/tls/gw-test.crt")])
    check(made.returncode == 0, "a certificate for gateway gw-test",
          made.stderr)
    edge = run(edge_args)
    check(edge.returncode == 2 and "edge-gw-test.json" in edge.stderr,
          "edge: without /etc/monipaikka/edge-<gateway>.json it refuses to "
          "start (exit 2, names the file)", edge.stderr)


def check_backup_retention(root, tmp):
    script = os.path.join(root, "usr/lib/monipaikka/monipaikka-backup")
    backups = os.path.join(tmp, "backups")
    os.makedirs(backups)
    # Older backups, their side files, and a file that is no backup.
    old = [f"monipaikka-2026010{day}T023000Z" for day in range(1, 6)]
    for stem in old:
        for suffix in (".db", ".db.txt"):
            open(os.path.join(backups, stem + suffix), "w").close()
    open(os.path.join(backups, "notes.db"), "w").close()
    # Stands in for `monipaikka-server backup`: copies the database.
    fake = os.path.join(tmp, "fake-server")
    with open(fake, "w") as f:
        f.write("#!/bin/sh\n"
                "[ \"$1\" = backup ] || exit 2\n"
                "db=${2#--db=}; to=${3#--to=}\n"
                "echo \"$db\" > \"$tmp_marker\"\n"
                "cp \"$db\" \"$to\"\n")
    os.chmod(fake, 0o755)
    flags = os.path.join(root, "etc/monipaikka/server.flags")
    marker = os.path.join(tmp, "backed-up-db")
    database = os.path.join(tmp, "flagged.db")
    with open(database, "w") as db:
        db.write("data")
    moved_flags = os.path.join(tmp, "backup-server.flags")
    with open(flags) as src, open(moved_flags, "w") as dst:
        dst.write(src.read().replace("/var/lib/monipaikka/monipaikka.db",
                                     database))
    env = dict(os.environ, MONIPAIKKA_BACKUP_DIR=backups,
               MONIPAIKKA_BACKUP_KEEP="3", MONIPAIKKA_SERVER_BIN=fake,
               MONIPAIKKA_SERVER_FLAGS=moved_flags, tmp_marker=marker)
    result = run([script], env=env)
    check(result.returncode == 0, "backup script: backs up", result.stderr)
    with open(marker) as m:
        check(m.read().strip() == database,
              "backup script: takes the database from the --db line of "
              "server.flags")
    kept = sorted(name for name in os.listdir(backups)
                  if name.startswith("monipaikka-") and name.endswith(".db"))
    check(len(kept) == 3 and kept[0] == "monipaikka-20260104T023000Z.db" and
          os.path.exists(os.path.join(backups, "notes.db")),
          "backup script: keeps the newest 3 and what is no backup",
          sorted(os.listdir(backups)))
    check(not os.path.exists(os.path.join(
        backups, "monipaikka-20260101T023000Z.db.txt")),
        "backup script: removes an old backup's side files too")
    check(os.path.exists(os.path.join(
        backups, "monipaikka-20260105T023000Z.db.txt")),
        "backup script: keeps a kept backup's side files")

    failing = dict(env, MONIPAIKKA_SERVER_BIN="/bin/false",
                   MONIPAIKKA_BACKUP_KEEP="1")
    before = sorted(os.listdir(backups))
    result = run([script], env=failing)
    check(result.returncode != 0 and sorted(os.listdir(backups)) == before,
          "backup script: a failed backup deletes nothing")
    for keep in ("0", "x", "-1"):
        result = run([script], env=dict(env, MONIPAIKKA_BACKUP_KEEP=keep))
        check(result.returncode == 2 and "MONIPAIKKA_BACKUP_KEEP" in
              result.stderr, f"backup script: KEEP={keep!r} refused (exit 2)",
              result.stderr)


def purge(root):
    result = run(["dpkg", f"--root={root}", "--force-script-chrootless",
                  "--force-depends", "--force-not-root", "--log=/dev/null",
                  "--purge", "monipaikka-server", "monipaikka-edge",
                  "monipaikka-client"])
    check(result.returncode == 0, "dpkg --purge of the three packages",
          result.stdout + result.stderr)
    for path in ("usr/bin/monipaikka-server", "usr/bin/monipaikka-edge",
                 "usr/bin/monipaikka", "etc/monipaikka/server.flags",
                 "etc/monipaikka/edge.flags",
                 "etc/systemd/system/multi-user.target.wants/"
                 "monipaikka-server.service"):
        check(not os.path.lexists(os.path.join(root, path)),
              f"purge removes /{path}")
    for path in ("var/lib/monipaikka/monipaikka.db",
                 "etc/monipaikka/pseudonym.key"):
        check(os.path.exists(os.path.join(root, path)),
              f"purge keeps the data: /{path}")


def group_entry(root, group):
    with open(os.path.join(root, "etc/group")) as groups:
        for line in groups:
            fields = line.rstrip("\n").split(":")
            if fields[0] == group:
                return fields
    return None


def documented_removal(docs):
    """The commands of docs/operations.md's Uninstall section that remove
    the data and the user for good (the shell block after the purge)."""
    with open(os.path.join(docs, "operations.md")) as page:
        text = page.read()
    section = text.split("## Uninstall", 1)[1]
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    removal = [block for block in blocks if "rm -rf" in block]
    return removal[0].splitlines() if removal else []


def remove_for_good(root, docs):
    """Runs the documented removal after the purge inside the throwaway root:
    each path of `rm -rf` under the root, `userdel USER` as
    `userdel --root ROOT USER` (it acts on the root's /etc/passwd, group and
    shadow, never this machine's)."""
    commands = documented_removal(docs)
    check(len(commands) == 2 and commands[0].startswith("rm -rf /") and
          commands[1] == "userdel monipaikka",
          "uninstall: the documented removal is rm -rf and userdel", commands)
    if len(commands) != 2:
        return
    # Debian's /etc/login.defs (USERGROUPS_ENAB yes: userdel removes the
    # user's own group too) as on an installed system.
    if os.path.exists("/etc/login.defs") and not os.path.exists(
            os.path.join(root, "etc/login.defs")):
        shutil.copy("/etc/login.defs", os.path.join(root, "etc/login.defs"))
    paths = commands[0].split()[2:]
    check(all(path.startswith("/") and ".." not in path for path in paths),
          "uninstall: rm -rf names absolute paths", paths)
    result = run(["rm", "-rf", "--"] +
                 [os.path.join(root, path.lstrip("/")) for path in paths])
    check(result.returncode == 0, "uninstall: rm -rf of the data",
          result.stderr)
    for path in paths:
        check(not os.path.lexists(os.path.join(root, path.lstrip("/"))),
              f"uninstall: {path} removed")
    user = commands[1].split()[1]
    result = run(["userdel", f"--root={root}", user])
    check(result.returncode == 0, f"uninstall: userdel {user}",
          result.stdout + result.stderr)
    check(passwd_entry(root, user) is None,
          f"uninstall: user {user} gone from /etc/passwd")
    check(group_entry(root, user) is None,
          f"uninstall: group {user} gone from /etc/group")


def main():
    build_dir, version = sys.argv[1], sys.argv[2]
    if os.geteuid() != 0:
        # dpkg needs to chown the installed files.
        print("package_test: needs root (throwaway dpkg root); skipped")
        print("0 passed, 0 failed")
        return 0
    tmp = tempfile.mkdtemp(prefix="monipaikka-package-")
    try:
        started = time.monotonic()
        if len(sys.argv) > 3:
            out = sys.argv[3]
        else:
            out = os.path.join(tmp, "out")
            result = run(["cpack", "--config",
                          os.path.join(build_dir, "CPackConfig.cmake"),
                          "-B", out], timeout=600)
            check(result.returncode == 0, "cpack builds the packages",
                  result.stdout + result.stderr)
            print(f"      cpack: {time.monotonic() - started:.1f} s")
        debs = {}
        for deb in glob.glob(os.path.join(out, "*.deb")):
            debs[deb_field(deb, "Package")] = deb
        web = web_dist(build_dir)
        if inspect_packages(debs, version, web):
            root = os.path.join(tmp, "root")
            output = install(root, debs, os.path.join(tmp, "dpkg.log"))
            check_installation(root, output)
            check_programs(root, version)
            check_units(root)
            start_like_the_unit(root, tmp, web)
            check_backup_retention(root, tmp)
            purge(root)
            remove_for_good(root, os.path.join(
                os.path.dirname(os.path.abspath(__file__)), "..", "..",
                "docs"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(PASSED)} passed, {len(FAILED)} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
