package server_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The shape of internal/server (issue 11): files stay small, handlers stay
// short, and no handler decides who may do what by comparing user roles.
// Route access is declared in the access table; per-visit rules live in the
// domain packages (internal/visit, internal/letter: Check and Next).
const (
	maxFileLines    = 400
	maxHandlerLines = 80
)

// accessFiles may name user roles: the access table, and the route table
// that uses it.
var accessFiles = map[string]bool{"access.go": true, "routes.go": true}

// pending lists files that could not pass yet while other work reshaped
// them. It is empty now and must stay so: nothing may be added here; a
// file that grows past the limits is split instead.
var pending = map[string]string{}

// visitPageFile holds visitPage, the one loader of a visit's page (issue
// 11 item 4): the visit, the user, the calendar, the plan and the header.
// Only it builds the header.
const visitPageFile = "visit_show.go"

// roleNames are the user.Role constants (internal/user).
var roleNames = map[string]bool{
	"Admin": true, "LeadInspector": true, "TeamInspector": true, "QAM": true, "SAO": true,
	"CafcassCEO": true, "CafcassDeputy": true,
}

func TestServerShape(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var problems []string
	seen := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		seen[name] = true
		if _, ok := pending[name]; ok {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if n := fset.Position(f.End()).Line; n > maxFileLines {
			problems = append(problems, name+": "+itoa(n)+" lines, more than "+itoa(maxFileLines)+": split it by page")
		}
		problems = append(problems, shapeProblems(fset, f, name)...)
	}
	for name := range pending {
		if !seen[name] {
			problems = append(problems, "pending lists "+name+", which no longer exists: remove the entry")
		}
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
}

func shapeProblems(fset *token.FileSet, f *ast.File, name string) []string {
	var problems []string
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Recv == nil || !strings.HasPrefix(fn.Name.Name, "handle") {
			continue
		}
		n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
		if n > maxHandlerLines {
			problems = append(problems, name+": "+fn.Name.Name+" is "+itoa(n)+" lines, more than "+itoa(maxHandlerLines))
		}
	}
	if accessFiles[name] {
		return problems
	}
	userPkg := "user"
	for _, imp := range f.Imports {
		if strings.Trim(imp.Path.Value, `"`) == "github.com/ofsted/focusedvisits/internal/user" && imp.Name != nil {
			userPkg = imp.Name.Name
		}
	}
	at := func(n ast.Node, what string) {
		problems = append(problems, fset.Position(n.Pos()).String()+": "+what+" outside the access table: put the rule in routes.go's access or in the domain package")
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "visitHeader" && name != visitPageFile {
				problems = append(problems, fset.Position(n.Pos()).String()+": visitHeader called by hand: load the page with s.visitPage or s.visitPageOf")
			}
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok && id.Name == userPkg && roleNames[n.Sel.Name] {
				at(n, "user role "+userPkg+"."+n.Sel.Name+" named")
			}
			if n.Sel.Name == "IsCafcass" {
				at(n, "IsCafcass() called")
			}
		case *ast.BinaryExpr:
			if n.Op != token.EQL && n.Op != token.NEQ {
				return true
			}
			for _, side := range []ast.Expr{n.X, n.Y} {
				if isUserRole(side) {
					at(n, "a user's role compared")
				}
			}
		case *ast.SwitchStmt:
			if n.Tag != nil && isUserRole(n.Tag) {
				at(n, "switch on a user's role")
			}
		}
		return true
	})
	return problems
}

// isUserRole matches u.Role and (u.Role), the role of a user.User; the
// role of a visit.Member on a visit (m.Role, a visit.MemberRole) is the
// visit's data and not matched, nor is a Role of anything but a simple
// variable named like a user (u, viewer, by...). Since the parser has no
// types, x.Role is a user's role when x is not a member (m, member).
func isUserRole(e ast.Expr) bool {
	if p, ok := e.(*ast.ParenExpr); ok {
		return isUserRole(p.X)
	}
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Role" {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name != "m" && id.Name != "member"
}

func itoa(n int) string {
	const digits = "0123456789"
	if n < 10 {
		return digits[n : n+1]
	}
	return itoa(n/10) + digits[n%10:n%10+1]
}
