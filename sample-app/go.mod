module runway.local/sample-app

go 1.24
