package main

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// serviceIDs is the unprivileged user the service drops to.
type serviceIDs struct {
	name     string
	uid, gid int
}

// serviceUser applies PROTOCOL.md section 9 to the options: nil when nothing
// is to be dropped, an error when the server must not start.
func serviceUser(o options) (*serviceIDs, error) {
	euid := os.Geteuid()
	if o.user == "" {
		if euid == 0 && !o.allowRoot {
			return nil, errors.New("refusing to run as root: pass --user NAME to drop to that user after " +
				"start-up, or --allow-root if you really mean it")
		}
		return nil, nil
	}
	u, err := user.Lookup(o.user)
	if err != nil {
		var unknown user.UnknownUserError
		if errors.As(err, &unknown) {
			return nil, fmt.Errorf("no such user: %s", o.user)
		}
		return nil, fmt.Errorf("looking up user %s: %v", o.user, err)
	}
	uid, errUID := strconv.Atoi(u.Uid)
	gid, errGID := strconv.Atoi(u.Gid)
	if errUID != nil || errGID != nil {
		return nil, fmt.Errorf("user %s has a non-numeric uid or gid", o.user)
	}
	if euid != 0 {
		if euid == uid {
			return nil, nil // already that user
		}
		return nil, fmt.Errorf("--user %s needs the server to be started as root", o.user)
	}
	if uid == 0 {
		return nil, errors.New("--user must name an unprivileged user, not root")
	}
	return &serviceIDs{name: o.user, uid: uid, gid: gid}, nil
}

// prepareLog creates the log as root and hands it to the service user, who
// reopens it for every client.
func prepareLog(path string, ids *serviceIDs) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	defer f.Close()
	if ids == nil {
		return nil
	}
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) == ids.uid && int(st.Gid) == ids.gid {
		return nil
	}
	return f.Chown(ids.uid, ids.gid)
}

// dropPrivileges drops supplementary groups, the gid and the uid, in that
// order (once the uid is gone, groups can no longer be changed), and checks
// that root cannot be regained. Since Go 1.16 these calls change every thread
// of the process on Linux, not just the calling one, so no goroutine is left
// running as root.
func dropPrivileges(ids *serviceIDs) error {
	if err := syscall.Setgroups([]int{}); err != nil {
		return fmt.Errorf("setgroups: %v", err)
	}
	if err := syscall.Setgid(ids.gid); err != nil {
		return fmt.Errorf("setgid(%d): %v", ids.gid, err)
	}
	if err := syscall.Setuid(ids.uid); err != nil {
		return fmt.Errorf("setuid(%d): %v", ids.uid, err)
	}
	if syscall.Setuid(0) == nil || syscall.Seteuid(0) == nil || (ids.gid != 0 && syscall.Setgid(0) == nil) {
		return errors.New("privileges were not dropped: root could be regained")
	}
	if syscall.Getuid() != ids.uid || syscall.Geteuid() != ids.uid || syscall.Getgid() != ids.gid || syscall.Getegid() != ids.gid {
		return errors.New("privileges were not dropped: ids differ from the user's")
	}
	if groups, err := syscall.Getgroups(); err != nil || len(groups) != 0 {
		return errors.New("privileges were not dropped: supplementary groups remain")
	}
	return nil
}
