#!/usr/bin/env python3
"""Writes a one-layer OCI image layout (and an OCI archive tar of it) from a root filesystem
directory, deterministically: entries sorted, mtimes fixed, owners root unless --chown says
otherwise, gzip without a timestamp. Used by hack/images.sh; stdlib only.

  oci-layout.py ROOTFS OUT_DIR --ref 127.0.0.1:16470/runway/pause:3.10 [--user 65535]
      [--entrypoint /pause] [--cmd ...] [--env K=V]... [--port 8080]... [--workdir /]
      [--chown PATH=UID:GID]...
"""
import argparse, gzip, hashlib, io, json, os, shutil, sys, tarfile

EPOCH = 0


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def layer_tar(rootfs, chown):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        paths = []
        for dirpath, dirnames, filenames in os.walk(rootfs):
            dirnames.sort()
            for name in sorted(dirnames + filenames):
                paths.append(os.path.join(dirpath, name))
        for full in sorted(paths, key=lambda p: os.path.relpath(p, rootfs).split(os.sep)):
            rel = os.path.relpath(full, rootfs)
            info = tar.gettarinfo(full, arcname=rel)
            info.mtime = EPOCH
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            for prefix, (uid, gid) in chown:
                if rel == prefix or rel.startswith(prefix + "/"):
                    info.uid, info.gid = uid, gid
            info.pax_headers = {}
            if info.isfile():
                with open(full, "rb") as f:
                    tar.addfile(info, f)
            else:
                tar.addfile(info)
    return buf.getvalue()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("rootfs")
    p.add_argument("out")
    p.add_argument("--ref", required=True, help="full reference, e.g. 127.0.0.1:16470/runway/x:1")
    p.add_argument("--user", default="")
    p.add_argument("--entrypoint", nargs="*", default=None)
    p.add_argument("--cmd", nargs="*", default=None)
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--port", action="append", default=[])
    p.add_argument("--workdir", default="/")
    p.add_argument("--chown", action="append", default=[], help="PATH=UID:GID inside the rootfs")
    a = p.parse_args()
    chown = []
    for c in a.chown:
        path, ids = c.split("=", 1)
        uid, gid = ids.split(":")
        chown.append((path.strip("/"), (int(uid), int(gid))))

    raw = layer_tar(a.rootfs, chown)
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0, compresslevel=6) as g:
        g.write(raw)
    layer = gz.getvalue()

    env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] + a.env
    cfg = {"User": a.user, "Env": env, "WorkingDir": a.workdir}
    if a.entrypoint:
        cfg["Entrypoint"] = a.entrypoint
    if a.cmd:
        cfg["Cmd"] = a.cmd
    if a.port:
        cfg["ExposedPorts"] = {f"{port}/tcp": {} for port in a.port}
    config = {
        "architecture": "amd64", "os": "linux", "created": "1970-01-01T00:00:00Z",
        "config": cfg,
        "rootfs": {"type": "layers", "diff_ids": [sha(raw)]},
        "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "hack/images.sh"}],
    }
    config_b = json.dumps(config, sort_keys=True, separators=(",", ":")).encode()
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": sha(config_b), "size": len(config_b)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": sha(layer), "size": len(layer)}],
    }
    manifest_b = json.dumps(manifest, sort_keys=True, separators=(",", ":")).encode()
    tag = a.ref.rsplit(":", 1)[1] if ":" in a.ref.rsplit("/", 1)[-1] else "latest"
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{"mediaType": manifest["mediaType"], "digest": sha(manifest_b),
                       "size": len(manifest_b),
                       "platform": {"architecture": "amd64", "os": "linux"},
                       "annotations": {"org.opencontainers.image.ref.name": tag,
                                       "io.containerd.image.name": a.ref}}],
    }

    layout = os.path.join(a.out, "layout")
    shutil.rmtree(layout, ignore_errors=True)
    blobs = os.path.join(layout, "blobs", "sha256")
    os.makedirs(blobs)
    for b in (layer, config_b, manifest_b):
        with open(os.path.join(blobs, sha(b)[7:]), "wb") as f:
            f.write(b)
    with open(os.path.join(layout, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    with open(os.path.join(layout, "index.json"), "w") as f:
        json.dump(index, f, sort_keys=True, separators=(",", ":"))

    # The OCI archive: the layout's files in a tar, as `ctr -n k8s.io images import` reads it.
    with tarfile.open(os.path.join(a.out, "image.oci.tar"), "w", format=tarfile.PAX_FORMAT) as tar:
        for rel in ["oci-layout", "index.json", "blobs", "blobs/sha256"] + \
                sorted("blobs/sha256/" + n for n in os.listdir(blobs)):
            info = tar.gettarinfo(os.path.join(layout, rel), arcname=rel)
            info.mtime, info.uid, info.gid, info.uname, info.gname = EPOCH, 0, 0, "", ""
            if info.isfile():
                with open(os.path.join(layout, rel), "rb") as f:
                    tar.addfile(info, f)
            else:
                tar.addfile(info)
    print(sha(manifest_b))


if __name__ == "__main__":
    sys.exit(main())
