/*! bookchat widget (standalone) | includes Preact, MIT License, Copyright (c) 2015-present Jason Miller */
"use strict";(()=>{var ue,m,Ve,kn,F,ze,Xe,Ge,ve,re,V,Ye,xe,ye,ke,xn,ie={},ae=[],wn=/acit|ex(?:s|g|n|p|$)|rph|grid|ows|mnc|ntw|ine[ch]|zoo|^ord|itera/i,X=Array.isArray;function U(e,t){for(var n in t)e[n]=t[n];return e}function we(e){e&&e.parentNode&&e.parentNode.removeChild(e)}function G(e,t,n){var o,r,s,i={};for(s in t)s=="key"?o=t[s]:s=="ref"?r=t[s]:i[s]=t[s];if(arguments.length>2&&(i.children=arguments.length>3?ue.call(arguments,2):n),typeof e=="function"&&e.defaultProps!=null)for(s in e.defaultProps)i[s]===void 0&&(i[s]=e.defaultProps[s]);return se(e,i,o,r,null)}function se(e,t,n,o,r){var s={type:e,props:t,key:n,ref:o,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:r??++Ve,__i:-1,__u:0};return r==null&&m.vnode!=null&&m.vnode(s),s}function I(e){return e.children}function H(e,t){this.props=e,this.context=t}function B(e,t){if(t==null)return e.__?B(e.__,e.__i+1):null;for(var n;t<e.__k.length;t++)if((n=e.__k[t])!=null&&n.__e!=null)return n.__e;return typeof e.type=="function"?B(e):null}function Sn(e){if(e.__P&&e.__d){var t=e.__v,n=t.__e,o=[],r=[],s=U({},t);s.__v=t.__v+1,m.vnode&&m.vnode(s),Se(e.__P,s,t,e.__n,e.__P.namespaceURI,32&t.__u?[n]:null,o,n??B(t),!!(32&t.__u),r),s.__v=t.__v,s.__.__k[s.__i]=s,tt(o,s,r),t.__e=t.__=null,s.__e!=n&&Je(s)}}function Je(e){if((e=e.__)!=null&&e.__c!=null)return e.__e=e.__c.base=null,e.__k.some(function(t){if(t!=null&&t.__e!=null)return e.__e=e.__c.base=t.__e}),Je(e)}function We(e){(!e.__d&&(e.__d=!0)&&F.push(e)&&!ce.__r++||ze!=m.debounceRendering)&&((ze=m.debounceRendering)||Xe)(ce)}function ce(){try{for(var e,t=1;F.length;)F.length>t&&F.sort(Ge),e=F.shift(),t=F.length,Sn(e)}finally{F.length=ce.__r=0}}function Qe(e,t,n,o,r,s,i,c,l,u,f){var h,a,p,b,C,y,k=o&&o.__k||ae,_=t.length;for(l=Cn(n,t,k,l,_),h=0;h<_;h++)(p=n.__k[h])!=null&&(a=p.__i!=-1&&k[p.__i]||ie,p.__i=h,y=Se(e,p,a,r,s,i,c,l,u,f),b=p.__e,p.ref&&a.ref!=p.ref&&(a.ref&&Ce(a.ref,null,p),f.push(p.ref,p.__c||b,p)),C==null&&b!=null&&(C=b),4&p.__u?(l=Ze(p,l,e),a.__e&&(a.__e=null)):typeof p.type=="function"&&y!==void 0?l=y:b&&(l=b.nextSibling),p.__u&=-7);return n.__e=C,l}function Cn(e,t,n,o,r){var s,i,c,l,u,f=n.length,h=f,a=0;for(e.__k=new Array(r),s=0;s<r;s++)(i=t[s])!=null&&typeof i!="boolean"&&typeof i!="function"?(typeof i=="string"||typeof i=="number"||typeof i=="bigint"||i.constructor==String?i=e.__k[s]=se(null,i,null,null,null):X(i)?i=e.__k[s]=se(I,{children:i},null,null,null):i.constructor===void 0&&i.__b>0?i=e.__k[s]=se(i.type,i.props,i.key,i.ref?i.ref:null,i.__v):e.__k[s]=i,l=s+a,i.__=e,i.__b=e.__b+1,c=null,(u=i.__i=En(i,n,l,h))!=-1&&(h--,(c=n[u])&&(c.__u|=2)),c==null||c.__v==null?(u==-1&&(r>f?a--:r<f&&a++),typeof i.type!="function"&&(i.__u|=4)):u!=l&&(u==l-1?a--:u==l+1?a++:(u>l?a--:a++,i.__u|=4))):e.__k[s]=null;if(h)for(s=0;s<f;s++)(c=n[s])!=null&&(2&c.__u)==0&&(c.__e==o&&(o=B(c)),ot(c,c));return o}function Ze(e,t,n){var o,r;if(typeof e.type=="function"){for(o=e.__k,r=0;o&&r<o.length;r++)o[r]&&(o[r].__=e,t=Ze(o[r],t,n));return t}e.__e!=t&&(t&&e.type&&!t.parentNode&&(t=B(e)),t=n.insertBefore(e.__e,t||null));do t=t&&t.nextSibling;while(t!=null&&t.nodeType==8);return t}function Y(e,t){return t=t||[],e==null||typeof e=="boolean"||(X(e)?e.some(function(n){Y(n,t)}):t.push(e)),t}function En(e,t,n,o){var r,s,i,c=e.key,l=e.type,u=t[n],f=u!=null&&(2&u.__u)==0;if(u===null&&c==null||f&&c==u.key&&l==u.type)return n;if(o>(f?1:0)){for(r=n-1,s=n+1;r>=0||s<t.length;)if((u=t[i=r>=0?r--:s++])!=null&&(2&u.__u)==0&&c==u.key&&l==u.type)return i}return-1}function Ke(e,t,n){t[0]=="-"?e.setProperty(t,n??""):e[t]=n==null?"":typeof n!="number"||wn.test(t)?n:n+"px"}function oe(e,t,n,o,r){var s,i;e:if(t=="style")if(typeof n=="string")e.style.cssText=n;else{if(typeof o=="string"&&(e.style.cssText=o=""),o)for(t in o)n&&t in n||Ke(e.style,t,"");if(n)for(t in n)o&&n[t]==o[t]||Ke(e.style,t,n[t])}else if(t[0]=="o"&&t[1]=="n")s=t!=(t=t.replace(Ye,"$1")),i=t.toLowerCase(),t=i in e||t=="onFocusOut"||t=="onFocusIn"?i.slice(2):t.slice(2),e.l||(e.l={}),e.l[t+s]=n,n?o?n[V]=o[V]:(n[V]=xe,e.addEventListener(t,s?ke:ye,s)):e.removeEventListener(t,s?ke:ye,s);else{if(r=="http://www.w3.org/2000/svg")t=t.replace(/xlink(H|:h)/,"h").replace(/sName$/,"s");else if(t!="width"&&t!="height"&&t!="href"&&t!="list"&&t!="form"&&t!="tabIndex"&&t!="download"&&t!="rowSpan"&&t!="colSpan"&&t!="role"&&t!="popover"&&t in e)try{e[t]=n??"";break e}catch{}typeof n=="function"||(n==null||n===!1&&t[4]!="-"?e.removeAttribute(t):e.setAttribute(t,t=="popover"&&n==1?"":n))}}function je(e){return function(t){if(this.l){var n=this.l[t.type+e];if(t[re]==null)t[re]=xe++;else if(t[re]<n[V])return;return n(m.event?m.event(t):t)}}}function Se(e,t,n,o,r,s,i,c,l,u){var f,h,a,p,b,C,y,k,_,v,x,g,T,D,$,N,R=t.type;if(t.constructor!==void 0)return null;128&n.__u&&(l=!!(32&n.__u),s=[c=t.__e=n.__e]),(f=m.__b)&&f(t);e:if(typeof R=="function"){h=i.length;try{if(_=t.props,v=R.prototype&&R.prototype.render,x=(f=R.contextType)&&o[f.__c],g=f?x?x.props.value:f.__:o,n.__c?k=(a=t.__c=n.__c).__=a.__E:(v?t.__c=a=new R(_,g):(t.__c=a=new H(_,g),a.constructor=R,a.render=Rn),x&&x.sub(a),a.state||(a.state={}),a.__n=o,p=a.__d=!0,a.__h=[],a._sb=[]),v&&a.__s==null&&(a.__s=a.state),v&&R.getDerivedStateFromProps!=null&&(a.__s==a.state&&(a.__s=U({},a.__s)),U(a.__s,R.getDerivedStateFromProps(_,a.__s))),b=a.props,C=a.state,a.__v=t,p)v&&R.getDerivedStateFromProps==null&&a.componentWillMount!=null&&a.componentWillMount(),v&&a.componentDidMount!=null&&a.__h.push(a.componentDidMount);else{if(v&&R.getDerivedStateFromProps==null&&_!==b&&a.componentWillReceiveProps!=null&&a.componentWillReceiveProps(_,g),t.__v==n.__v||!a.__e&&a.shouldComponentUpdate!=null&&a.shouldComponentUpdate(_,a.__s,g)===!1){t.__v!=n.__v&&(a.props=_,a.state=a.__s,a.__d=!1),t.__e=n.__e,t.__k=n.__k,t.__k.some(function(L){L&&(L.__=t)}),ae.push.apply(a.__h,a._sb),a._sb=[],a.__h.length&&i.push(a),c=B(n);break e}a.componentWillUpdate!=null&&a.componentWillUpdate(_,a.__s,g),v&&a.componentDidUpdate!=null&&a.__h.push(function(){a.componentDidUpdate(b,C,y)})}if(a.context=g,a.props=_,a.__P=e,a.__e=!1,T=m.__r,D=0,v)a.state=a.__s,a.__d=!1,T&&T(t),f=a.render(a.props,a.state,a.context),ae.push.apply(a.__h,a._sb),a._sb=[];else do a.__d=!1,T&&T(t),f=a.render(a.props,a.state,a.context),a.state=a.__s;while(a.__d&&++D<25);a.state=a.__s,a.getChildContext!=null&&(o=U(U({},o),a.getChildContext())),v&&!p&&a.getSnapshotBeforeUpdate!=null&&(y=a.getSnapshotBeforeUpdate(b,C)),$=f!=null&&f.type===I&&f.key==null?nt(f.props.children):f,c=Qe(e,X($)?$:[$],t,n,o,r,s,i,c,l,u),a.base=t.__e,t.__u&=-161,a.__h.length&&i.push(a),k&&(a.__E=a.__=null)}catch(L){if(i.length=h,t.__v=null,l||s!=null){if(L.then){for(t.__u|=l?160:128;c&&c.nodeType==8&&c.nextSibling;)c=c.nextSibling;s!=null&&(s[s.indexOf(c)]=null),t.__e=c}else if(s!=null)for(N=s.length;N--;)we(s[N])}else t.__e=n.__e;t.__k==null&&(t.__k=n.__k||[]),L.then||et(t),m.__e(L,t,n)}}else s==null&&t.__v==n.__v?(t.__k=n.__k,t.__e=n.__e):c=t.__e=Nn(n.__e,t,n,o,r,s,i,l,u);return(f=m.diffed)&&f(t),128&t.__u?void 0:c}function et(e){e&&(e.__c&&(e.__c.__e=!0),e.__k&&e.__k.some(et))}function tt(e,t,n){for(var o=0;o<n.length;o++)Ce(n[o],n[++o],n[++o]);m.__c&&m.__c(t,e),e.some(function(r){try{e=r.__h,r.__h=[],e.some(function(s){s.call(r)})}catch(s){m.__e(s,r.__v)}})}function nt(e){return typeof e!="object"||e==null||e.__b>0?e:X(e)?e.map(nt):e.constructor!==void 0?null:U({},e)}function Nn(e,t,n,o,r,s,i,c,l){var u,f,h,a,p,b,C,y=n.props||ie,k=t.props,_=t.type;if(_=="svg"?r="http://www.w3.org/2000/svg":_=="math"?r="http://www.w3.org/1998/Math/MathML":r||(r="http://www.w3.org/1999/xhtml"),s!=null){for(u=0;u<s.length;u++)if((p=s[u])&&"setAttribute"in p==!!_&&(_?p.localName==_:p.nodeType==3)){e=p,s[u]=null;break}}if(e==null){if(_==null)return document.createTextNode(k);e=document.createElementNS(r,_,k.is&&k),c&&(m.__m&&m.__m(t,s),c=!1),s=null}if(_==null)y===k||c&&e.data==k||(e.data=k);else{if(s=_=="textarea"&&k.defaultValue!=null?null:s&&ue.call(e.childNodes),!c&&s!=null)for(y={},u=0;u<e.attributes.length;u++)y[(p=e.attributes[u]).name]=p.value;for(u in y)p=y[u],u=="dangerouslySetInnerHTML"?h=p:u=="children"||u in k||u=="value"&&"defaultValue"in k||u=="checked"&&"defaultChecked"in k||oe(e,u,null,p,r);for(u in k)p=k[u],u=="children"?a=p:u=="dangerouslySetInnerHTML"?f=p:u=="value"?b=p:u=="checked"?C=p:c&&typeof p!="function"||y[u]===p||oe(e,u,p,y[u],r);if(f)c||h&&(f.__html==h.__html||f.__html==e.innerHTML)||(e.innerHTML=f.__html),t.__k=[];else if(h&&(e.innerHTML=""),Qe(t.type=="template"?e.content:e,X(a)?a:[a],t,n,o,_=="foreignObject"?"http://www.w3.org/1999/xhtml":r,s,i,s?s[0]:n.__k&&B(n,0),c,l),s!=null)for(u=s.length;u--;)we(s[u]);c&&_!="textarea"||(u="value",_=="progress"&&b==null?e.removeAttribute("value"):b!=null&&(b!==e[u]||_=="progress"&&!b||_=="option"&&b!=y[u])&&oe(e,u,b,y[u],r),u="checked",C!=null&&C!=e[u]&&oe(e,u,C,y[u],r))}return e}function Ce(e,t,n){try{if(typeof e=="function"){var o=typeof e.__u=="function";o&&e.__u(),o&&t==null||(e.__u=e(t))}else e.current=t}catch(r){m.__e(r,n)}}function ot(e,t,n){var o,r;if(m.unmount&&m.unmount(e),(o=e.ref)&&(o.current&&o.current!=e.__e||Ce(o,null,t)),(o=e.__c)!=null){if(o.componentWillUnmount)try{o.componentWillUnmount()}catch(s){m.__e(s,t)}o.base=o.__P=o.__n=null}if(o=e.__k)for(r=0;r<o.length;r++)o[r]&&ot(o[r],t,n||typeof e.type!="function");n||we(e.__e),e.__c=e.__=e.__e=void 0}function Rn(e,t,n){return this.constructor(e,n)}function Ee(e,t,n){var o,r,s,i;t==document&&(t=document.documentElement),m.__&&m.__(e,t),r=(o=typeof n=="function")?null:n&&n.__k||t.__k,s=[],i=[],Se(t,e=(!o&&n||t).__k=G(I,null,[e]),r||ie,ie,t.namespaceURI,!o&&n?[n]:r?null:t.firstChild?ue.call(t.childNodes):null,s,!o&&n?n:r?r.__e:t.firstChild,o,i),tt(s,e,i),e.props.children=null}ue=ae.slice,m={__e:function(e,t,n,o){for(var r,s,i;t=t.__;)if((r=t.__c)&&!r.__)try{if((s=r.constructor)&&s.getDerivedStateFromError!=null&&(r.setState(s.getDerivedStateFromError(e)),i=r.__d),r.componentDidCatch!=null&&(r.componentDidCatch(e,o||{}),i=r.__d),i)return r.__E=r}catch(c){e=c}throw e}},Ve=0,kn=function(e){return e!=null&&e.constructor===void 0},H.prototype.setState=function(e,t){var n;n=this.__s!=null&&this.__s!=this.state?this.__s:this.__s=U({},this.state),typeof e=="function"&&(e=e(U({},n),this.props)),e&&U(n,e),e!=null&&this.__v&&(t&&this._sb.push(t),We(this))},H.prototype.forceUpdate=function(e){this.__v&&(this.__e=!0,e&&this.__h.push(e),We(this))},H.prototype.render=I,F=[],Xe=typeof Promise=="function"?Promise.prototype.then.bind(Promise.resolve()):setTimeout,Ge=function(e,t){return e.__v.__b-t.__v.__b},ce.__r=0,ve=Math.random().toString(8),re="__d"+ve,V="__a"+ve,Ye=/(PointerCapture)$|Capture$/i,xe=0,ye=je(!1),ke=je(!0),xn=0;var z,w,Ne,rt,J=0,ft=[],E=m,st=E.__b,it=E.__r,at=E.diffed,ct=E.__c,ut=E.unmount,lt=E.__;function de(e,t){E.__h&&E.__h(w,e,J||t),J=0;var n=w.__H||(w.__H={__:[],__h:[]});return e>=n.__.length&&n.__.push({}),n.__[e]}function A(e){return J=1,fe(_t,e)}function fe(e,t,n){var o=de(z++,2);if(o.t=e,!o.__c&&(o.__=[n?n(t):_t(void 0,t),function(c){var l=o.__N?o.__N[0]:o.__[0],u=o.t(l,c);l!==u&&(o.__N=[u,o.__[1]],o.__c.setState({}))}],o.__c=w,!w.__f)){var r=function(c,l,u){if(!o.__c.__H)return!0;var f=!1,h=o.__c.props!==c;if(o.__c.__H.__.some(function(p){if(p.__N){f=!0;var b=p.__[0];p.__=p.__N,p.__N=void 0,b!==p.__[0]&&(h=!0)}}),s){var a=s.call(this,c,l,u);return f?a||h:a}return!f||h};w.__f=!0;var s=w.shouldComponentUpdate,i=w.componentWillUpdate;w.componentWillUpdate=function(c,l,u){if(this.__e){var f=s;s=void 0,r(c,l,u),s=f}i&&i.call(this,c,l,u)},w.shouldComponentUpdate=r}return o.__N||o.__}function S(e,t){var n=de(z++,3);!E.__s&&pt(n.__H,t)&&(n.__=e,n.u=t,w.__H.__h.push(n))}function M(e){return J=5,Q(function(){return{current:e}},[])}function Q(e,t){var n=de(z++,7);return pt(n.__H,t)&&(n.__=e(),n.__H=t,n.__h=e),n.__}function P(e,t){return J=8,Q(function(){return e},t)}function Z(){var e=de(z++,11);if(!e.__){for(var t=w.__v;t!==null&&!t.__m&&t.__!==null;)t=t.__;var n=t.__m||(t.__m=[0,0]);e.__="P"+n[0]+"-"+n[1]++}return e.__}function An(){for(var e;e=ft.shift();){var t=e.__H;if(e.__P&&t)try{t.__h.some(le),t.__h.some(Re),t.__h=[]}catch(n){t.__h=[],E.__e(n,e.__v)}}}E.__b=function(e){w=null,st&&st(e)},E.__=function(e,t){e&&t.__k&&t.__k.__m&&(e.__m=t.__k.__m),lt&&lt(e,t)},E.__r=function(e){it&&it(e),z=0;var t=(w=e.__c).__H;t&&(Ne===w?(t.__h=[],w.__h=[],t.__.some(function(n){n.__N&&(n.__=n.__N),n.u=n.__N=void 0})):(t.__h.some(le),t.__h.some(Re),t.__h=[],z=0)),Ne=w},E.diffed=function(e){at&&at(e);var t=e.__c;t&&t.__H&&(t.__H.__h.length&&(ft.push(t)!==1&&rt===E.requestAnimationFrame||((rt=E.requestAnimationFrame)||Tn)(An)),t.__H.__.some(function(n){n.u&&(n.__H=n.u,n.u=void 0)})),Ne=w=null},E.__c=function(e,t){t.some(function(n){try{n.__h.some(le),n.__h=n.__h.filter(function(o){return!o.__||Re(o)})}catch(o){t.some(function(r){r.__h&&(r.__h=[])}),t=[],E.__e(o,n.__v)}}),ct&&ct(e,t)},E.unmount=function(e){ut&&ut(e);var t,n=e.__c;n&&n.__H&&(n.__H.__.some(function(o){try{le(o)}catch(r){t=r}}),n.__H=void 0,t&&E.__e(t,n.__v))};var dt=typeof requestAnimationFrame=="function";function Tn(e){var t,n=function(){clearTimeout(o),dt&&cancelAnimationFrame(t),setTimeout(e)},o=setTimeout(n,35);dt&&(t=requestAnimationFrame(n))}function le(e){var t=w,n=e.__c;typeof n=="function"&&(e.__c=void 0,n()),w=t}function Re(e){var t=w;e.__c=e.__(),w=t}function pt(e,t){return!e||e.length!==t.length||t.some(function(n,o){return n!==e[o]})}function _t(e,t){return typeof t=="function"?t(e):t}function In(e,t){for(var n in t)e[n]=t[n];return e}function ht(e,t){for(var n in e)if(n!=="__source"&&!(n in t))return!0;for(var o in t)if(o!=="__source"&&e[o]!==t[o])return!0;return!1}function mt(e,t){this.props=e,this.context=t}(mt.prototype=new H).isPureReactComponent=!0,mt.prototype.shouldComponentUpdate=function(e,t){return ht(this.props,e)||ht(this.state,t)};var bt=m.__b;m.__b=function(e){e.type&&e.type.__f&&e.ref&&(e.props.ref=e.ref,e.ref=null),bt&&bt(e)};var No=typeof Symbol<"u"&&Symbol.for&&Symbol.for("react.forward_ref")||3911;var On=m.__e;m.__e=function(e,t,n,o){if(e.then){for(var r,s=t;s=s.__;)if((r=s.__c)&&r.__c)return t.__e==null&&(t.__e=n.__e,t.__k=n.__k||[]),r.__c(e,t)}On(e,t,n,o)};var gt=m.unmount;function St(e,t,n){return e&&(e.__c&&e.__c.__H&&(e.__c.__H.__.forEach(function(o){typeof o.__c=="function"&&o.__c()}),e.__c.__H=null),(e=In({},e)).__c!=null&&(e.__c.__P===n&&(e.__c.__P=t),e.__c.__e=!0,e.__c=null),e.__k=e.__k&&e.__k.map(function(o){return St(o,t,n)})),e}function Ct(e,t,n){return e&&n&&(e.__v=null,e.__k=e.__k&&e.__k.map(function(o){return Ct(o,t,n)}),e.__c&&e.__c.__P===t&&(e.__e&&n.appendChild(e.__e),e.__c.__e=!0,e.__c.__P=n)),e}function Ae(){this.__u=0,this.o=null,this.__b=null}function Et(e){var t=e.__&&e.__.__c;return t&&t.__a&&t.__a(e)}function pe(){this.i=null,this.l=null}m.unmount=function(e){var t=e.__c;t&&(t.__z=!0),t&&t.__R&&t.__R(),t&&32&e.__u&&(e.type=null),gt&&gt(e)},(Ae.prototype=new H).__c=function(e,t){var n=t.__c,o=this;o.o==null&&(o.o=[]),o.o.push(n);var r=Et(o.__v),s=!1,i=function(){s||o.__z||(s=!0,n.__R=null,r?r(l):l())};n.__R=i;var c=n.__P;n.__P=null;var l=function(){if(!--o.__u){if(o.state.__a){var u=o.state.__a;o.__v.__k[0]=Ct(u,u.__c.__P,u.__c.__O)}var f;for(o.setState({__a:o.__b=null});f=o.o.pop();)f.__P=c,f.forceUpdate()}};o.__u++||32&t.__u||o.setState({__a:o.__b=o.__v.__k[0]}),e.then(i,i)},Ae.prototype.componentWillUnmount=function(){this.o=[]},Ae.prototype.render=function(e,t){if(this.__b){if(this.__v.__k){var n=document.createElement("div"),o=this.__v.__k[0].__c;this.__v.__k[0]=St(this.__b,n,o.__O=o.__P)}this.__b=null}var r=t.__a&&G(I,null,e.fallback);return r&&(r.__u&=-33),[G(I,null,t.__a?null:e.children),r]};var vt=function(e,t,n){if(++n[1]===n[0]&&e.l.delete(t),e.props.revealOrder&&(e.props.revealOrder[0]!=="t"||!e.l.size))for(n=e.i;n;){for(;n.length>3;)n.pop()();if(n[1]<n[0])break;e.i=n=n[2]}};(pe.prototype=new H).__a=function(e){var t=this,n=Et(t.__v),o=t.l.get(e);return o[0]++,function(r){var s=function(){t.props.revealOrder?(o.push(r),vt(t,e,o)):r()};n?n(s):s()}},pe.prototype.render=function(e){this.i=null,this.l=new Map;var t=Y(e.children);e.revealOrder&&e.revealOrder[0]==="b"&&t.reverse();for(var n=t.length;n--;)this.l.set(t[n],this.i=[1,0,this.i]);return e.children},pe.prototype.componentDidUpdate=pe.prototype.componentDidMount=function(){var e=this;this.l.forEach(function(t,n){vt(e,n,t)})};var Dn=typeof Symbol<"u"&&Symbol.for&&Symbol.for("react.element")||60103,Pn=/^(?:accent|alignment|arabic|baseline|cap|clip(?!PathU)|color|dominant|fill|flood|font|glyph(?!R)|horiz|image(!S)|letter|lighting|marker(?!H|W|U)|overline|paint|pointer|shape|stop|strikethrough|stroke|text(?!L)|transform|underline|unicode|units|v|vector|vert|word|writing|x(?!C))[A-Z]/,Hn=/^on(Ani|Tra|Tou|BeforeInp|Compo)/,$n=/[A-Z0-9]/g,Un=typeof document<"u",Fn=function(e){return(typeof Symbol<"u"&&typeof Symbol()=="symbol"?/fil|che|rad/:/fil|che|ra/).test(e)};function Nt(e,t,n){return t.__k==null&&(t.textContent=""),Ee(e,t),typeof n=="function"&&n(),e?e.__c:null}H.prototype.isReactComponent=!0,["componentWillMount","componentWillReceiveProps","componentWillUpdate"].forEach(function(e){Object.defineProperty(H.prototype,e,{configurable:!0,get:function(){return this["UNSAFE_"+e]},set:function(t){Object.defineProperty(this,e,{configurable:!0,writable:!0,value:t})}})});var yt=m.event;m.event=function(e){return yt&&(e=yt(e)),e.persist=function(){},e.isPropagationStopped=function(){return this.cancelBubble},e.isDefaultPrevented=function(){return this.defaultPrevented},e.nativeEvent=e};var Rt,qn={configurable:!0,get:function(){return this.class}},kt=m.vnode;m.vnode=function(e){typeof e.type=="string"&&(function(t){var n=t.props,o=t.type,r={},s=o.indexOf("-")==-1;for(var i in n){var c=n[i];if(!(i==="value"&&"defaultValue"in n&&c==null||Un&&i==="children"&&o==="noscript"||i==="class"||i==="className")){var l=i.toLowerCase();i==="defaultValue"&&"value"in n&&n.value==null?i="value":i==="download"&&c===!0?c="":l==="translate"&&c==="no"?c=!1:l[0]==="o"&&l[1]==="n"?l==="ondoubleclick"?i="ondblclick":l!=="onchange"||o!=="input"&&o!=="textarea"||Fn(n.type)?l==="onfocus"?i="onfocusin":l==="onblur"?i="onfocusout":Hn.test(i)&&(i=l):l=i="oninput":s&&Pn.test(i)?i=i.replace($n,"-$&").toLowerCase():c===null&&(c=void 0),l==="oninput"&&r[i=l]&&(i="oninputCapture"),r[i]=c}}o=="select"&&(r.multiple&&Array.isArray(r.value)&&(r.value=Y(n.children).forEach(function(u){u.props.selected=r.value.indexOf(u.props.value)!=-1})),r.defaultValue!=null&&(r.value=Y(n.children).forEach(function(u){u.props.selected=r.multiple?r.defaultValue.indexOf(u.props.value)!=-1:r.defaultValue==u.props.value}))),n.class&&!n.className?(r.class=n.class,Object.defineProperty(r,"className",qn)):n.className&&(r.class=r.className=n.className),t.props=r})(e),e.$$typeof=Dn,kt&&kt(e)};var xt=m.__r;m.__r=function(e){xt&&xt(e),Rt=e.__c};var wt=m.diffed;m.diffed=function(e){wt&&wt(e);var t=e.props,n=e.__e;n!=null&&e.type==="textarea"&&"value"in t&&t.value!==n.value&&(n.value=t.value==null?"":t.value),Rt=null};function At(e){return!!e.__k&&(Ee(null,e),!0)}function Tt(e){return{render:function(t){Nt(t,e)},unmount:function(){At(e)}}}var Mt=`/* bookchat widget: everything is scoped under .bookchat-root; colors follow data-theme. */
.bookchat-root {
  --bc-bg: #ffffff;
  --bc-fg: #1c1e21;
  --bc-muted: #5f6368;
  --bc-border: #d0d7de;
  --bc-accent: #2e6bd6;
  --bc-accent-fg: #ffffff;
  --bc-user-bg: #eaf1fd;
  --bc-code-bg: #f3f4f6;
  --bc-error-bg: #fdecea;
  --bc-error-fg: #8a1c12;
  --bc-notice-bg: #fff6db;
  --bc-notice-fg: #5c4300;
  --bc-shadow: 0 8px 28px rgba(0, 0, 0, 0.18);
  font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
  font-size: 15px;
  line-height: 1.5;
  color: var(--bc-fg);
}
.bookchat-root[data-theme='dark'] {
  --bc-bg: #1f2023;
  --bc-fg: #e6e6e6;
  --bc-muted: #a8adb4;
  --bc-border: #3d4047;
  --bc-accent: #6ea2ff;
  --bc-accent-fg: #0b1220;
  --bc-user-bg: #26334d;
  --bc-code-bg: #2b2d31;
  --bc-error-bg: #4a1f1b;
  --bc-error-fg: #ffcfc9;
  --bc-notice-bg: #463a12;
  --bc-notice-fg: #ffe8a3;
  --bc-shadow: 0 8px 28px rgba(0, 0, 0, 0.6);
}
.bookchat-root *,
.bookchat-root *::before,
.bookchat-root *::after {
  box-sizing: border-box;
}
.bookchat-launcher {
  position: fixed;
  right: 20px;
  /* --bookchat-lift: how far it rises to clear the page's back-to-top button and pagination */
  bottom: calc(20px + var(--bookchat-lift, 0px));
  z-index: 2147483000;
  display: inline-flex;
  align-items: center;
  gap: 8px;
  padding: 12px 18px;
  border: none;
  border-radius: 999px;
  background: var(--bc-accent);
  color: var(--bc-accent-fg);
  font: inherit;
  font-weight: 600;
  box-shadow: var(--bc-shadow);
  cursor: pointer;
}
.bookchat-launcher:focus-visible,
.bookchat-root button:focus-visible,
.bookchat-root a:focus-visible,
.bookchat-input:focus-visible {
  outline: 3px solid var(--bc-accent);
  outline-offset: 2px;
}
.bookchat-panel {
  position: fixed;
  right: 20px;
  bottom: 20px;
  z-index: 2147483001;
  display: flex;
  flex-direction: column;
  width: min(420px, calc(100vw - 40px));
  height: min(640px, calc(100vh - 40px));
  background: var(--bc-bg);
  color: var(--bc-fg);
  border: 1px solid var(--bc-border);
  border-radius: 12px;
  box-shadow: var(--bc-shadow);
  overflow: hidden;
}
.bookchat-panel[hidden] {
  display: none;
}
/* The page's own modal (the site search on Ctrl+K / ⌘K) is open: it goes above the widget. */
.bookchat-root[data-behind] .bookchat-launcher,
.bookchat-root[data-behind] .bookchat-panel,
.bookchat-root[data-behind] .bookchat-askselection {
  z-index: 1;
}
.bookchat-header {
  display: flex;
  align-items: center;
  gap: 6px;
  padding: 10px 12px;
  border-bottom: 1px solid var(--bc-border);
}
.bookchat-title {
  flex: 1;
  margin: 0;
  font-size: 16px;
  font-weight: 700;
  color: inherit;
}
.bookchat-iconbutton {
  border: 1px solid transparent;
  background: transparent;
  color: var(--bc-muted);
  font: inherit;
  font-size: 14px;
  padding: 4px 8px;
  border-radius: 6px;
  cursor: pointer;
}
.bookchat-iconbutton:hover:not(:disabled) {
  border-color: var(--bc-border);
  color: var(--bc-fg);
}
.bookchat-iconbutton:disabled {
  opacity: 0.45;
  cursor: default;
}
.bookchat-close {
  font-size: 22px;
  line-height: 1;
}
.bookchat-log {
  flex: 1;
  overflow-y: auto;
  padding: 12px;
  display: flex;
  flex-direction: column;
  gap: 10px;
}
.bookchat-empty {
  color: var(--bc-muted);
  font-size: 14px;
}
.bookchat-empty p {
  margin: 0 0 8px;
}
.bookchat-root kbd {
  border: 1px solid var(--bc-border);
  border-radius: 4px;
  padding: 0 4px;
  font-size: 12px;
}
.bookchat-msg {
  max-width: 100%;
  overflow-wrap: anywhere;
}
.bookchat-msg p {
  margin: 0 0 6px;
}
.bookchat-user {
  align-self: flex-end;
  max-width: 85%;
  background: var(--bc-user-bg);
  padding: 8px 12px;
  border-radius: 12px 12px 2px 12px;
}
.bookchat-user p:last-child {
  margin-bottom: 0;
}
.bookchat-quote,
.bookchat-md blockquote {
  margin: 0 0 6px;
  padding: 2px 8px;
  border-left: 3px solid var(--bc-accent);
  color: var(--bc-muted);
  font-size: 13px;
}
.bookchat-answer {
  align-self: stretch;
}
.bookchat-md h4,
.bookchat-md h5,
.bookchat-md h6 {
  margin: 8px 0 4px;
  font-size: 15px;
  color: inherit;
}
.bookchat-md ul,
.bookchat-md ol {
  margin: 0 0 6px;
  padding-left: 22px;
}
.bookchat-md code {
  background: var(--bc-code-bg);
  border-radius: 4px;
  padding: 1px 4px;
  font-size: 13px;
}
.bookchat-md pre.bookchat-code {
  background: var(--bc-code-bg);
  border-radius: 6px;
  padding: 8px 10px;
  overflow-x: auto;
  margin: 0 0 6px;
}
.bookchat-md pre.bookchat-code code {
  background: none;
  padding: 0;
  white-space: pre;
}
.bookchat-root a {
  color: var(--bc-accent);
  text-decoration: none;
}
.bookchat-root a:hover {
  text-decoration: underline;
}
.bookchat-cite {
  font-size: 12px;
  vertical-align: super;
  text-decoration: none;
  margin-left: 1px;
}
.bookchat-thinking,
.bookchat-stopped {
  color: var(--bc-muted);
  font-style: italic;
}
.bookchat-notice {
  background: var(--bc-notice-bg);
  color: var(--bc-notice-fg);
  border-radius: 6px;
  padding: 6px 10px;
}
.bookchat-error {
  display: flex;
  align-items: center;
  gap: 8px;
  flex-wrap: wrap;
  background: var(--bc-error-bg);
  color: var(--bc-error-fg);
  border-radius: 6px;
  padding: 6px 10px;
  font-size: 14px;
}
.bookchat-error-text {
  flex: 1;
}
.bookchat-retry,
.bookchat-send {
  border: none;
  border-radius: 8px;
  background: var(--bc-accent);
  color: var(--bc-accent-fg);
  font: inherit;
  font-weight: 600;
  padding: 6px 14px;
  cursor: pointer;
}
.bookchat-retry:disabled,
.bookchat-send:disabled {
  opacity: 0.5;
  cursor: default;
}
.bookchat-stop {
  background: var(--bc-error-fg);
  color: var(--bc-bg);
}
.bookchat-sources {
  margin-top: 6px;
  font-size: 13px;
}
.bookchat-sources-title {
  margin: 0 0 2px;
  font-weight: 600;
  color: var(--bc-muted);
}
.bookchat-sources ol {
  list-style: none;
  margin: 0;
  padding: 0;
}
.bookchat-source {
  margin: 2px 0;
  opacity: 0.75;
}
.bookchat-source-cited {
  opacity: 1;
  font-weight: 600;
}
.bookchat-source-n {
  color: var(--bc-muted);
}
.bookchat-feedback {
  display: flex;
  align-items: center;
  gap: 4px;
  margin-top: 4px;
  font-size: 13px;
  color: var(--bc-muted);
}
.bookchat-thumb {
  display: inline-flex;
  align-items: center;
  border: 1px solid var(--bc-border);
  background: transparent;
  color: var(--bc-muted);
  border-radius: 6px;
  padding: 3px 6px;
  cursor: pointer;
}
.bookchat-thumb:hover:not(:disabled) {
  color: var(--bc-fg);
}
.bookchat-thumb:disabled {
  cursor: default;
}
.bookchat-thumb[aria-pressed='true'] {
  color: var(--bc-accent);
  border-color: var(--bc-accent);
  background: var(--bc-user-bg);
}
.bookchat-composer {
  border-top: 1px solid var(--bc-border);
  padding: 8px 10px 10px;
}
.bookchat-attached {
  display: flex;
  align-items: flex-start;
  gap: 6px;
  font-size: 13px;
  color: var(--bc-muted);
  margin-bottom: 6px;
}
.bookchat-attached-text {
  flex: 1;
  font-style: italic;
}
.bookchat-inputrow {
  display: flex;
  gap: 8px;
  align-items: flex-end;
}
.bookchat-input {
  flex: 1;
  resize: none;
  font: inherit;
  color: var(--bc-fg);
  background: var(--bc-bg);
  border: 1px solid var(--bc-border);
  border-radius: 8px;
  padding: 6px 8px;
}
.bookchat-askselection {
  position: fixed;
  z-index: 2147483002;
  padding: 6px 12px;
  border: none;
  border-radius: 999px;
  background: var(--bc-accent);
  color: var(--bc-accent-fg);
  font: inherit;
  font-size: 14px;
  font-weight: 600;
  box-shadow: var(--bc-shadow);
  cursor: pointer;
}
.bookchat-sr-only {
  position: absolute;
  width: 1px;
  height: 1px;
  padding: 0;
  margin: -1px;
  overflow: hidden;
  clip: rect(0, 0, 0, 0);
  white-space: nowrap;
  border: 0;
}
/* Phones: the panel takes the whole screen; the button shows its icon only. */
@media (max-width: 600px) {
  .bookchat-panel {
    inset: 0;
    width: 100vw;
    height: 100vh;
    height: 100dvh;
    border-radius: 0;
    border: none;
  }
  .bookchat-launcher {
    right: 14px;
    bottom: calc(14px + var(--bookchat-lift, 0px));
    padding: 14px;
  }
  .bookchat-launcher-label {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0, 0, 0, 0);
  }
  .bookchat-input {
    font-size: 16px; /* no zoom-on-focus on iOS */
  }
}
@media (prefers-reduced-motion: no-preference) {
  .bookchat-panel {
    animation: bookchat-in 0.12s ease-out;
  }
}
@keyframes bookchat-in {
  from {
    opacity: 0;
    transform: translateY(8px);
  }
}
`;function zn(){let e=document.documentElement.getAttribute("data-theme");return e==="dark"||e==="light"?e:window.matchMedia?.("(prefers-color-scheme: dark)").matches?"dark":"light"}function Lt(){let[e,t]=A("light");return S(()=>{let n=()=>t(zn());n();let o=new MutationObserver(n);o.observe(document.documentElement,{attributes:!0,attributeFilter:["data-theme"]});let r=window.matchMedia?.("(prefers-color-scheme: dark)");return r?.addEventListener?.("change",n),()=>{o.disconnect(),r?.removeEventListener?.("change",n)}},[]),e}function It(e,t){let n=e.querySelector(`meta[name="${t}"]`)?.getAttribute("content")?.trim();return n||void 0}function Ot(e,t){let n={};if(!e)return t?{locale:t}:n;let o=It(e,"docusaurus_version"),r=It(e,"docusaurus_locale")??t;return o&&(n.version=o),r&&(n.locale=r),n}var _e=class{constructor(){this.buffer="";this.eventName="";this.dataLines=[];this.sawData=!1;this.pendingCR=!1}push(t){let n=[],o=t;this.pendingCR&&(o.startsWith(`
`)&&(o=o.slice(1)),this.pendingCR=!1),this.buffer+=o;let r=0;for(let s=0;s<this.buffer.length;s++){let i=this.buffer[s];if(i!==`
`&&i!=="\r")continue;let c=this.buffer.slice(r,s);i==="\r"&&(s+1<this.buffer.length?this.buffer[s+1]===`
`&&s++:this.pendingCR=!0),r=s+1,this.line(c,n)}return this.buffer=this.buffer.slice(r),n}end(){return this.buffer="",this.reset(),[]}reset(){this.eventName="",this.dataLines=[],this.sawData=!1}line(t,n){if(t===""){if(this.sawData){let i={event:this.eventName||"message",data:this.dataLines.join(`
`)};this.lastId!==void 0&&(i.id=this.lastId),n.push(i)}this.reset();return}if(t.startsWith(":"))return;let o=t.indexOf(":"),r=o===-1?t:t.slice(0,o),s=o===-1?"":t.slice(o+1);switch(s.startsWith(" ")&&(s=s.slice(1)),r){case"event":this.eventName=s;break;case"data":this.dataLines.push(s),this.sawData=!0;break;case"id":s.includes("\0")||(this.lastId=s);break;default:break}}};var O=class extends Error{constructor(n,o,r,s,i,c=!1){super(o);this.kind=n;this.status=r;this.code=s;this.retryAfter=i;this.withdrawn=c;this.name="ApiError"}};function Wn(e,t){return`${e.trim().replace(/\/+$/,"")}${t}`}function Kn(e,t={}){let n={"Content-Type":"application/json",...t};return e.apiKey&&(n.Authorization=`Bearer ${e.apiKey}`),n}function jn(e,t=Date.now()){if(!e)return;if(/^\s*\d+\s*$/.test(e))return Number.parseInt(e,10);let n=Date.parse(e);if(!Number.isNaN(n))return Math.max(0,Math.ceil((n-t)/1e3))}async function Dt(e){let t,n=e.statusText||`HTTP ${e.status}`;try{let o=await e.json();o&&typeof o.error=="object"&&o.error&&(typeof o.error.code=="string"&&(t=o.error.code),typeof o.error.message=="string"&&(n=o.error.message))}catch{}return new O("http",n,e.status,t,jn(e.headers.get("Retry-After")))}function Vn(){let e=globalThis.crypto;return e&&typeof e.randomUUID=="function"?e.randomUUID():void 0}async function Pt(e,t,n,o,r){let s=e.fetch??fetch,i={};r&&(i.Accept=r);let c=Vn();c&&(i["X-Request-ID"]=c);try{return await s(Wn(e.backend,t),{method:"POST",headers:Kn(e,i),body:JSON.stringify(n),signal:o,credentials:"omit"})}catch(l){throw o?.aborted?l:new O("network",l instanceof Error?l.message:String(l))}}function he(e){try{return JSON.parse(e)}catch{throw new O("protocol","The service sent an event that is not JSON.")}}async function Me(e,t,n,o){let r=await Pt(e,"/chat/stream",t,o,"text/event-stream");if(!r.ok)throw await Dt(r);if(!r.body)throw new O("protocol","The service sent no stream.");let s=r.body.getReader(),i=new TextDecoder,c=new _e;try{for(;;){let l;try{l=await s.read()}catch(h){throw o?.aborted?h:new O("network","The connection dropped while the answer was arriving.")}let u=l.done?i.decode():i.decode(l.value,{stream:!0}),f=c.push(u);l.done&&f.push(...c.end());for(let h of f)switch(h.event){case"sources":{let a=he(h.data);n.onSources?.(Array.isArray(a.source_nodes)?a.source_nodes:[]);break}case"delta":{let a=he(h.data);typeof a.delta=="string"&&a.delta&&n.onDelta?.(a.delta);break}case"done":{let a=he(h.data);return n.onDone?.(a),a}case"error":{let a=he(h.data),p=typeof a.retry_after=="number"?a.retry_after:void 0;throw new O("stream",a.message||"The answer failed.",void 0,a.code,p,a.withdrawn===!0)}default:break}if(l.done)throw new O("protocol","The answer stopped before it was complete.")}}finally{s.cancel().catch(()=>{})}}async function Ht(e,t,n){let o=await Pt(e,"/feedback",t,n);if(!o.ok)throw await Dt(o)}function Le(){let e=globalThis.location?.origin;return e&&e!=="null"?e:void 0}function Te(e){return e.trim().replace(/\/+$/,"")||Le()||"this site"}function Xn(e){let t=Le(),n=t?`its BOOKCHAT_CORS_ORIGINS includes this site's origin, ${t}`:"its BOOKCHAT_CORS_ORIGINS includes this site's origin";return`Cannot reach the chat service at ${Te(e)}. Check that it is running and that ${n}.`}function $t(e,t=""){if(e.kind==="network")return Xn(t);if(e.kind==="stream"){let o=e.retryAfter!==void 0?` Try again in ${e.retryAfter} s.`:"";return e.withdrawn?`The partial answer was withdrawn: ${e.message}${o}`:`The answer was interrupted: ${e.message}${o}`}if(e.kind==="protocol")return e.message;let n=e.message?` ${e.message}`:"";switch(e.status){case 401:return"The chat service refused this site’s access key (401).";case 403:{let o=Le(),r=o?` (${o})`:"";return e.code==="origin_not_allowed"?`The chat service at ${Te(t)} refused this site's origin${r} (403): add it to the service's BOOKCHAT_CORS_ORIGINS.`:`The chat service at ${Te(t)} refused the request (403).${n} If this site is new, check that the service's BOOKCHAT_CORS_ORIGINS includes its origin${r}.`}case 404:return"The chat service has no such endpoint (404): check the backend URL.";case 413:return"The question or the selected text is too long (413). Shorten it and try again.";case 422:return`The service could not accept this question (422).${n}`;case 429:return e.retryAfter!==void 0?`Too many questions right now (429). Try again in ${e.retryAfter} s.`:"Too many questions right now (429). Try again in a moment.";case 502:return"The answering model returned an error (502).";case 503:return"The answering service is unavailable right now (503).";case 504:return"The answer took too long (504).";default:return`The chat service failed (${e.status??"error"}).${n}`}}var Ie=/\[([^[\]\n]{1,200})\]/g;function Oe(e,t){let n=e.trim();if(/^\d+(\s*,\s*\d+)*$/.test(n)){let s=n.split(",").map(i=>Number.parseInt(i.trim(),10));return s.every(i=>i>=1&&i<=t.length)?s:null}let o=n.split(/\s*[,;]\s*/),r=[];for(let s of o){let i=t.findIndex(c=>c.metadata?.source===s);if(i===-1)return null;r.push(i+1)}return r.length?r:null}function Gn(e,t){let n=[],o=0;Ie.lastIndex=0;for(let r=Ie.exec(e);r;r=Ie.exec(e)){let s=r.index+r[0].length;if(e[s]==="(")continue;let i=Oe(r[1]??"",t);i&&(r.index>o&&n.push({type:"text",text:e.slice(o,r.index)}),n.push({type:"cite",indices:i,raw:r[0]}),o=s)}return o<e.length&&n.push({type:"text",text:e.slice(o)}),n}function Ut(e,t){let n=new Set;for(let o of Gn(e,t))o.type==="cite"&&o.indices.forEach(r=>n.add(r));return[...n].sort((o,r)=>o-r)}function De(e){let t=e.metadata??{},n=typeof t.title=="string"&&t.title?t.title:t.source??"Source",o=typeof t.heading=="string"?t.heading:"";return o&&o!==n?`${n} › ${o}`:String(n)}function Ft(e){let t=e.metadata??{};return typeof t.url!="string"||!t.url||!Pe(t.url)?null:!t.url.includes("#")&&typeof t.anchor=="string"&&t.anchor?`${t.url}#${t.anchor}`:t.url}function Pe(e){let t=e.trim();if(/[\u0000-\u001f]/.test(t))return!1;let n=/^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(t);return n?["http","https","mailto"].includes((n[1]??"").toLowerCase()):!0}var ee={messages:[]};function q(e,t,n){return{messages:e.messages.map(o=>o.id===t&&o.role==="assistant"?n(o):o)}}function Bt(e,t){switch(t.type){case"ask":return{messages:[...e.messages,t.user,{id:t.assistantId,role:"assistant",replyTo:t.user.id,content:"",status:"waiting",sources:[]}]};case"retry":return q(e,t.id,n=>({id:n.id,role:"assistant",replyTo:n.replyTo,content:"",status:"waiting",sources:[]}));case"sources":return q(e,t.id,n=>({...n,sources:t.sources,status:"streaming"}));case"delta":return q(e,t.id,n=>({...n,content:n.content+t.delta,status:"streaming"}));case"done":return q(e,t.id,n=>{let o=typeof t.done.answer=="string"?t.done.answer:n.content,r=Array.isArray(t.done.cited)?t.done.cited:Ut(o,n.sources);return{...n,content:o,status:"done",outcome:typeof t.done.outcome=="string"?t.done.outcome:"answered",cited:r,requestId:typeof t.done.request_id=="string"?t.done.request_id:n.requestId}});case"stopped":return q(e,t.id,n=>n.status==="waiting"||n.status==="streaming"?{...n,status:"stopped"}:n);case"failed":return q(e,t.id,n=>({...n,content:t.error.withdrawn?"":n.content,status:"error",error:t.error}));case"rate":return q(e,t.id,n=>({...n,rating:t.rating,feedback:t.feedback}));case"feedback":return q(e,t.id,n=>({...n,feedback:t.feedback}));case"clear":return ee}}function zt(e,t){let n=[];for(let o of e.messages){if(o.id===t)break;o.role==="user"?n.push({role:"user",content:o.content}):(o.status==="done"||o.status==="stopped")&&o.content.trim()&&n.push({role:"assistant",content:o.content})}return n.filter(o=>o.content.trim()).slice(-50).map(o=>({role:o.role,content:o.content.length>8e3?o.content.slice(0,8e3):o.content}))}function me(e){return e.messages.some(t=>t.role==="assistant"&&(t.status==="waiting"||t.status==="streaming"))}function Jn(e){return!e||typeof e!="object"||!Array.isArray(e.messages)?ee:{messages:e.messages.filter(n=>!!n&&typeof n=="object"&&typeof n.id=="string"&&(n.role==="user"||n.role==="assistant")).map(n=>n.role==="assistant"&&(n.status==="waiting"||n.status==="streaming")?{...n,status:"stopped",sources:Array.isArray(n.sources)?n.sources:[]}:n.role==="assistant"?{...n,sources:Array.isArray(n.sources)?n.sources:[]}:n)}}function Wt(e,t){if(!e)return ee;try{let n=e.getItem(t);return n?Jn(JSON.parse(n)):ee}catch{return ee}}function Kt(e,t,n){if(e)try{n.messages.length?e.setItem(t,JSON.stringify(n)):e.removeItem(t)}catch{}}function W(){try{return window.sessionStorage}catch{return}}var Ue="Explain this passage.",Qn=["page","version","locale"],jt=0;function Vt(e){return jt+=1,`${e}-${Date.now().toString(36)}-${jt}`}function Xt(e){return e.replace(/```[\s\S]*?(```|$)/g," (code) ").replace(/[*_`#>]+/g,"").replace(/\s+/g," ").trim()}function Zn(e,t){if(e instanceof O){let n={text:$t(e,t),status:e.status,code:e.code,retryAfter:e.retryAfter};return e.withdrawn&&(n.withdrawn=!0),n}return{text:"Something went wrong while asking. Try again."}}function Gt({config:e,storageKey:t,sendPage:n,pathname:o,docsContext:r}){let[s,i]=fe(Bt,void 0,()=>Wt(W(),t)),[c,l]=A(""),u=M(s);u.current=s;let f=M(null),h=M(new Set);S(()=>Kt(W(),t,s),[s,t]),S(()=>()=>f.current?.abort(),[]);let a=P(async(_,v)=>{f.current?.abort();let x=new AbortController;f.current=x;let g={message:_.content},T=zt(u.current,_.id);T.length&&(g.history=T),_.selectedText&&(g.selected_text=_.selectedText);let D=h.current;n&&_.page&&!D.has("page")&&(g.page=_.page),_.version&&!D.has("version")&&(g.version=_.version),_.locale&&!D.has("locale")&&(g.locale=_.locale);let $={onSources:N=>i({type:"sources",id:v,sources:N}),onDelta:N=>i({type:"delta",id:v,delta:N})};try{let N;try{N=await Me(e,g,$,x.signal)}catch(L){let Be=L instanceof O&&L.status===422?Qn.filter(j=>g[j]!==void 0&&new RegExp(`\\b${j}\\b`).test(L.message)):[];if(Be.length){for(let j of Be)D.add(j),delete g[j];N=await Me(e,g,$,x.signal)}else throw L}i({type:"done",id:v,done:N});let R=typeof N.answer=="string"?N.answer:"";l(N.outcome==="not_in_book"?`Not in the book. ${Xt(R)}`:`Answer: ${Xt(R)}`)}catch(N){if(x.signal.aborted)i({type:"stopped",id:v}),l("Answer stopped.");else{let R=Zn(N,e.backend);i({type:"failed",id:v,error:R}),l(R.text)}}finally{f.current===x&&(f.current=null)}},[e,n]),p=P((_,v)=>{let x=(_.trim()||(v?Ue:"")).slice(0,4e3);if(!x||me(u.current))return;let g={id:Vt("u"),role:"user",content:x,page:o},T=r?.()??{};T.version&&(g.version=T.version),T.locale&&(g.locale=T.locale),v&&(g.selectedText=v.slice(0,8e3));let D=Vt("a");i({type:"ask",user:g,assistantId:D}),a(g,D)},[o,r,a]),b=P(_=>{let v=u.current.messages.find(x=>x.id===_.replyTo&&x.role==="user");!v||me(u.current)||(i({type:"retry",id:_.id}),a(v,_.id))},[a]),C=P(()=>f.current?.abort(),[]),y=P(()=>{f.current?.abort(),i({type:"clear"}),l("Conversation cleared.")},[]),k=P(async(_,v)=>{if(!_.requestId){i({type:"rate",id:_.id,rating:v,feedback:"unavailable"});return}i({type:"rate",id:_.id,rating:v,feedback:"sending"});try{await Ht(e,{request_id:_.requestId,rating:v}),i({type:"feedback",id:_.id,feedback:"sent"})}catch(x){let g=x instanceof O&&(x.status===404||x.status===405);i({type:"feedback",id:_.id,feedback:g?"unavailable":"failed"})}},[e]);return{messages:s.messages,busy:me(s),announcement:c,ask:p,retry:b,stop:C,clear:y,rate:k}}function eo(e,t){if(e.body?.classList.contains("DocSearch--active"))return!0;for(let n of Array.from(e.querySelectorAll('[aria-modal="true"], .DocSearch-Modal'))){if(t?.contains(n)||n.hidden)continue;let o=n.getBoundingClientRect();if(o.width>0&&o.height>0)return!0}return!1}function Yt(e){let[t,n]=A(!1);return S(()=>{let o=0,r=()=>{o=0,n(eo(document,e.current))},s=()=>{o||(o=window.requestAnimationFrame(r))},i=new MutationObserver(s);return i.observe(document.body,{childList:!0,subtree:!0,attributes:!0,attributeFilter:["class","aria-modal","hidden"]}),r(),()=>{i.disconnect(),o&&window.cancelAnimationFrame(o)}},[e]),t}var to=12;function be(e){let t=Number.parseFloat(e);return Number.isFinite(t)?t:0}function no(e,t,n){let o=getComputedStyle(e);if(o.display==="none"||o.position!=="fixed")return;let r=be(o.width),s=be(o.height);if(!r||!s)return;let i=t-be(o.right),c=n-be(o.bottom);return{left:i-r,right:i,top:c-s,bottom:c}}function oo(e){let t=e.documentElement.clientWidth,n=e.documentElement.clientHeight,o=[];for(let r of Array.from(e.querySelectorAll(".theme-back-to-top-button"))){let s=no(r,t,n);s&&o.push(s)}for(let r of Array.from(e.querySelectorAll(".pagination-nav__link, [data-bookchat-avoid]"))){let s=r.getBoundingClientRect();s.width>0&&s.height>0&&s.bottom>0&&s.top<n&&o.push({left:s.left,right:s.right,top:s.top,bottom:s.bottom})}return o}function ro(e,t,n=to){let o=0;for(let r=0;r<=t.length;r+=1){let s=!1;for(let i of t){let c=e.top-o,l=e.bottom-o,u=i.left<e.right+n&&i.right>e.left-n,f=i.top<l+n&&i.bottom>c-n;u&&f&&(o=Math.max(o,e.bottom-i.top+n),s=!0)}if(!s)break}return Math.round(o)}function Jt(e,t,n){let[o,r]=A(0);return S(()=>{if(!t)return;let s=0,i=o,c=()=>{s=0;let f=e.current;if(!f)return;let h=f.getBoundingClientRect(),a={left:h.left,right:h.right,top:h.top+i,bottom:h.bottom+i},p=ro(a,oo(document));p!==i&&(i=p,r(p))},l=()=>{s||(s=window.requestAnimationFrame(c))};c();let u=window.setTimeout(l,250);return window.addEventListener("scroll",l,{passive:!0}),window.addEventListener("resize",l),()=>{window.removeEventListener("scroll",l),window.removeEventListener("resize",l),window.clearTimeout(u),s&&window.cancelAnimationFrame(s)}},[t,n,e]),o}function Qt(e,t,n){let[o,r]=A(()=>W()?.getItem(`${e}:open`)==="1"),s=M(o);return S(()=>{try{W()?.setItem(`${e}:open`,o?"1":"0")}catch{}},[o,e]),S(()=>{o&&!s.current&&t.current?.focus(),!o&&s.current&&n.current?.focus(),s.current=o},[o,t,n]),S(()=>{o&&t.current?.focus({preventScroll:!0})},[]),[o,r]}var so=150;function Zt(e){let[t,n]=A(null);S(()=>{let r,s=()=>{window.clearTimeout(r),r=window.setTimeout(()=>{let i=window.getSelection(),c=i?.toString().trim()??"";if(!i||i.rangeCount===0||c.length<2){n(null);return}let l=i.anchorNode;if(l&&e.current?.contains(l)){n(null);return}let u=i.getRangeAt(0).getBoundingClientRect();if(u.width===0&&u.height===0){n(null);return}let f=u.bottom+8,h=f+40>window.innerHeight?Math.max(8,u.top-44):f,a=Math.min(Math.max(8,u.left+u.width/2-70),window.innerWidth-150);n({text:c.slice(0,8e3),top:h,left:a})},so)};return document.addEventListener("selectionchange",s),document.addEventListener("pointerup",s),()=>{window.clearTimeout(r),document.removeEventListener("selectionchange",s),document.removeEventListener("pointerup",s)}},[e]);let o=P(()=>n(null),[]);return[t,o]}var te="Ctrl+Shift+K",en="Control+Shift+K Meta+Shift+K";function tn(e,t,n){let o=M(!1);S(()=>{let r=s=>{o.current=s.target instanceof Node&&!!n.current?.contains(s.target)};return document.addEventListener("focusin",r),document.addEventListener("pointerdown",r,!0),()=>{document.removeEventListener("focusin",r),document.removeEventListener("pointerdown",r,!0)}},[n]),S(()=>{let r=s=>{if((s.ctrlKey||s.metaKey)&&s.shiftKey&&!s.altKey&&s.key.toLowerCase()==="k"){s.preventDefault(),s.stopPropagation(),t(i=>!i);return}if(s.key==="Escape"&&e&&!s.defaultPrevented){let i=document.activeElement;(i&&i!==document.body?n.current?.contains(i):o.current)&&(s.preventDefault(),t(!1))}};return document.addEventListener("keydown",r),()=>document.removeEventListener("keydown",r)},[e,t,n])}var io=0;function d(e,t,n,o,r,s){t||(t={});var i,c,l=t;if("ref"in l)for(c in l={},t)c=="ref"?i=t[c]:l[c]=t[c];var u={type:e,props:l,key:n,ref:i,__k:null,__:null,__b:0,__e:null,__c:null,constructor:void 0,__v:--io,__i:-1,__u:0,__source:r,__self:s};if(typeof e=="function"&&(i=e.defaultProps))for(c in i)l[c]===void 0&&(l[c]=i[c]);return m.vnode&&m.vnode(u),u}function nn({buttonRef:e,title:t,panelId:n,onOpen:o}){return d("button",{ref:e,type:"button",className:"bookchat-launcher","aria-expanded":!1,"aria-controls":n,"aria-keyshortcuts":en,title:`${t} (${te})`,onClick:o,children:[d("svg",{"aria-hidden":"true",viewBox:"0 0 24 24",width:"22",height:"22",children:d("path",{fill:"currentColor",d:"M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6v2h2v-2H7zm4 0v2h2v-2h-2zm4 0v2h2v-2h-2z"})}),d("span",{className:"bookchat-launcher-label",children:t})]})}function on({hint:e,onAsk:t}){return d("button",{type:"button",className:"bookchat-askselection",style:{top:e.top,left:e.left},onPointerDown:n=>n.preventDefault(),onMouseDown:n=>n.preventDefault(),onClick:t,children:"Ask about this"})}function rn({inputRef:e,attached:t,onDetach:n,busy:o,onAsk:r,onStop:s}){let[i,c]=A(""),l=f=>{f.preventDefault(),!o&&(r(i,t),c(""),n())},u=f=>{f.key==="Enter"&&!f.shiftKey&&!f.nativeEvent.isComposing&&(f.preventDefault(),l(f))};return d("form",{className:"bookchat-composer",onSubmit:l,children:[t?d("div",{className:"bookchat-attached",children:[d("span",{className:"bookchat-attached-label",children:"Asking about:"}),d("q",{className:"bookchat-attached-text",children:t.length>160?`${t.slice(0,160)}…`:t}),d("button",{type:"button",className:"bookchat-iconbutton","aria-label":"Remove the selected passage",onClick:n,children:"×"})]}):null,d("div",{className:"bookchat-inputrow",children:[d("textarea",{ref:e,className:"bookchat-input",value:i,maxLength:4e3,rows:2,placeholder:t?Ue:"Ask a question about the book…","aria-label":"Your question",onChange:f=>c(f.target.value),onKeyDown:u}),o?d("button",{type:"button",className:"bookchat-send bookchat-stop",onClick:s,children:"Stop"}):d("button",{type:"submit",className:"bookchat-send",disabled:!i.trim()&&!t,children:"Send"})]})]})}var an=/^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)[^\n]*$/,cn=/^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/,ne=/^( {0,3})([-*+]|\d{1,9}[.)])\s+(.*)$/,un=/^ {0,3}([-*_])(\s*\1){2,}\s*$/,ge=/^ {0,3}>\s?(.*)$/;function sn(e){return an.test(e)||cn.test(e)||ne.test(e)||ge.test(e)||un.test(e)}function ln(e){let t=e.replace(/\r\n?/g,`
`).split(`
`),n=[],o=0;for(;o<t.length;){let r=t[o]??"";if(!r.trim()){o++;continue}let s=an.exec(r);if(s){let u=s[1]??"```",f=[];for(o++;o<t.length&&!(t[o]??"").trim().startsWith(u);)f.push(t[o]??""),o++;o++,n.push({kind:"code",lang:s[2]??"",text:f.join(`
`)});continue}let i=cn.exec(r);if(i){n.push({kind:"heading",level:(i[1]??"#").length,text:i[2]??""}),o++;continue}if(un.test(r)){n.push({kind:"rule"}),o++;continue}if(ge.test(r)){let u=[];for(;o<t.length&&ge.test(t[o]??"");)u.push(ge.exec(t[o]??"")?.[1]??""),o++;n.push({kind:"quote",text:u.join(`
`)});continue}let c=ne.exec(r);if(c){let u=(c[1]??"").length,f=/\d/.test(c[2]??""),h=f?Number.parseInt(c[2]??"1",10):1,a=[],p=[];for(;o<t.length;){let b=t[o]??"",C=ne.exec(b);if(C&&(C[1]??"").length<=u+1&&/\d/.test(C[2]??"")===f){p.length&&a.push(p.join(`
`)),p=[C[3]??""],o++;continue}if(!b.trim()){let y=t[o+1]??"";if(/^\s{2,}\S/.test(y)||ne.exec(y)&&(ne.exec(y)?.[1]??"").length<=u+1){p.push(""),o++;continue}break}if(/^\s{2,}/.test(b)){p.push(b.replace(/^\s{2,4}/,"")),o++;continue}if(sn(b))break;p.push(b.trim()),o++}p.length&&a.push(p.join(`
`)),n.push({kind:"list",ordered:f,start:h,items:a});continue}let l=[];for(;o<t.length&&(t[o]??"").trim()&&!(l.length&&sn(t[o]??""));)l.push((t[o]??"").trim()),o++;n.push({kind:"para",text:l.join(`
`)})}return n}var ao=/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*(?=\S)([\s\S]*?\S)\*\*|__(?=\S)([\s\S]*?\S)__|\*(?=[^\s*])([\s\S]*?[^\s*])\*|(?<![\w])_(?=[^\s_])([\s\S]*?[^\s_])_(?![\w])|\[([^[\]\n]+)\]\(([^()\s]+)(?:\s+"[^"\n]*")?\)|\[([^[\]\n]{1,200})\]|(\n)/g;function K(e,t,n){let o=[],r=0,s=0,i=new RegExp(ao.source,"g");for(let c=i.exec(e);c;c=i.exec(e)){let l=`${n}.${s++}`;if(c.index>r&&o.push(e.slice(r,c.index)),r=c.index+c[0].length,c[1]!==void 0)o.push(d("code",{children:(c[2]??"").replace(/^ (.*) $/,"$1")},l));else if(c[3]!==void 0||c[4]!==void 0)o.push(d("strong",{children:K(c[3]??c[4]??"",t,l)},l));else if(c[5]!==void 0||c[6]!==void 0)o.push(d("em",{children:K(c[5]??c[6]??"",t,l)},l));else if(c[7]!==void 0){let u=c[8]??"",f=K(c[7],t,l);o.push(Pe(u)?t.renderLink(u,f,l):d(I,{children:f},l))}else if(c[9]!==void 0){let u=Oe(c[9],t.sources);o.push(u?t.renderCite(u,c[0],l):c[0])}else c[10]!==void 0&&o.push(" ")}return r<e.length&&o.push(e.slice(r)),o}function dn(e,t,n){switch(e.kind){case"code":return d("pre",{className:"bookchat-code",children:d("code",{"data-lang":e.lang||void 0,children:e.text})},n);case"heading":{let o=e.level<=2?"h4":e.level===3?"h5":"h6";return d(o,{children:K(e.text,t,n)},n)}case"rule":return d("hr",{},n);case"quote":return d("blockquote",{children:fn(e.text,t,n)},n);case"list":{let o=e.items.map((r,s)=>d("li",{children:co(r,t,`${n}.${s}`)},`${n}.${s}`));return e.ordered?d("ol",{start:e.start===1?void 0:e.start,children:o},n):d("ul",{children:o},n)}case"para":return d("p",{children:K(e.text,t,n)},n)}}function co(e,t,n){let o=ln(e),r=o[0];return o.length===1&&r&&r.kind==="para"?K(r.text,t,n):o.map((s,i)=>dn(s,t,`${n}.${i}`))}function fn(e,t,n="md"){return ln(e).map((o,r)=>dn(o,t,`${n}.${r}`))}function pn({text:e,ctx:t}){return d("div",{className:"bookchat-md",children:fn(e,t)})}function _n({down:e=!1}){return d("svg",{"aria-hidden":"true",viewBox:"0 0 24 24",width:"16",height:"16",style:e?{transform:"rotate(180deg)"}:void 0,children:d("path",{fill:"currentColor",d:"M2 10h4v11H2zM8 21h9.4a2 2 0 0 0 1.96-1.6l1.5-7A2 2 0 0 0 18.9 10H14l.8-4.1A1.8 1.8 0 0 0 13 3.8L8 10z"})})}var uo={sending:"",sent:"Thanks for the feedback.",unavailable:"Feedback is not available on this server.",failed:"Could not send the feedback."};function hn({answer:e,onRate:t}){let n=e.feedback==="sending"||e.feedback==="sent";return d("div",{className:"bookchat-feedback",children:[d("span",{className:"bookchat-feedback-label",children:"Helpful?"}),d("button",{type:"button",className:"bookchat-thumb","aria-label":"Helpful","aria-pressed":e.rating==="up",disabled:n,onClick:()=>{t(e,"up")},children:d(_n,{})}),d("button",{type:"button",className:"bookchat-thumb","aria-label":"Not helpful","aria-pressed":e.rating==="down",disabled:n,onClick:()=>{t(e,"down")},children:d(_n,{down:!0})}),d("span",{className:"bookchat-feedback-state",role:"status",children:e.feedback?uo[e.feedback]:""})]})}function Fe({href:e,className:t,title:n,children:o,InternalLink:r,onNavigate:s}){let i=null;try{i=new URL(e,window.location.href)}catch{i=null}if(i&&i.origin===window.location.origin){let c=`${i.pathname}${i.search}${i.hash}`;return r?d(r,{to:c,className:t,title:n,onClick:s,children:o}):d("a",{href:c,className:t,title:n,onClick:s,children:o})}return d("a",{href:i?i.href:e,className:t,title:n,target:"_blank",rel:"noopener noreferrer",children:o})}function qe({node:e,className:t,title:n,children:o,InternalLink:r,onNavigate:s}){let i=Ft(e);return i?d(Fe,{href:i,className:t,title:n,InternalLink:r,onNavigate:s,children:o}):d("span",{className:t,title:n,children:o})}function mn({message:e,...t}){return e.role==="user"?d("div",{className:"bookchat-msg bookchat-user",children:[e.selectedText?d("blockquote",{className:"bookchat-quote",children:e.selectedText.length>200?`${e.selectedText.slice(0,200)}…`:e.selectedText}):null,d("p",{children:e.content})]}):d(lo,{answer:e,...t})}function lo({answer:e,InternalLink:t,onNavigate:n,onRetry:o,onRate:r,busy:s}){let i=e.sources,c=e.outcome==="not_in_book",l=new Set(e.cited??[]),u={sources:i,renderCite:(f,h,a)=>d("span",{className:"bookchat-cites",children:f.map(p=>{let b=i[p-1];return b?d(qe,{node:b,className:"bookchat-cite",title:De(b),InternalLink:t,onNavigate:n,children:["[",p,"]"]},`${a}.${p}`):null})},a),renderLink:(f,h,a)=>d(Fe,{href:f,InternalLink:t,onNavigate:n,children:h},a)};return d("div",{className:`bookchat-msg bookchat-answer${c?" bookchat-notinbook":""}`,"data-status":e.status,"data-outcome":e.outcome,"aria-busy":e.status==="waiting"||e.status==="streaming",children:[c?d("p",{className:"bookchat-notice",children:[d("strong",{children:"Not in the book."})," The book does not cover this question."]}):null,e.status==="waiting"?d("p",{className:"bookchat-thinking",children:"Searching the book…"}):null,e.content?d(pn,{text:e.content,ctx:u}):null,e.status==="streaming"&&!e.content?d("p",{className:"bookchat-thinking",children:"Writing…"}):null,e.status==="stopped"?d("p",{className:"bookchat-stopped",children:"Stopped."}):null,e.status==="error"&&e.error?d("div",{className:"bookchat-error",role:"alert",children:[d("span",{className:"bookchat-error-text",children:e.error.text}),d("button",{type:"button",className:"bookchat-retry",onClick:()=>o(e),disabled:s,children:"Retry"})]}):null,i.length&&e.status!=="error"?d("div",{className:"bookchat-sources",children:[d("p",{className:"bookchat-sources-title",children:c?"Closest passages":"Sources"}),d("ol",{children:i.map((f,h)=>d("li",{className:l.has(h+1)||f.cited?"bookchat-source bookchat-source-cited":"bookchat-source",children:[d("span",{className:"bookchat-source-n",children:["[",h+1,"]"]})," ",d(qe,{node:f,className:"bookchat-source-link",InternalLink:t,onNavigate:n,children:De(f)})]},`${f.id}.${h}`))})]}):null,e.status==="done"?d(hn,{answer:e,onRate:r}):null]})}function bn({messages:e,open:t,...n}){let o=M(null);return S(()=>{let r=o.current;r&&(r.scrollTop=r.scrollHeight)},[e,t]),d("div",{ref:o,className:"bookchat-log",role:"region","aria-label":"Conversation",children:e.length===0?d("div",{className:"bookchat-empty",children:[d("p",{children:"Ask a question about this book: the answer cites the sections it comes from."}),d("p",{children:"Select text on a page and choose “Ask about this” to ask about a passage."}),d("p",{children:["Open or close this panel with ",d("kbd",{children:te}),"; ",d("kbd",{children:"Esc"})," closes it."]})]}):e.map(r=>d(mn,{message:r,...n},r.id))})}function gn({id:e,title:t,open:n,onClose:o,onClear:r,chat:s,composer:i,InternalLink:c,onNavigate:l}){let u=Z();return d("section",{id:e,className:"bookchat-panel",role:"dialog","aria-modal":"false","aria-labelledby":u,hidden:!n,children:[d("header",{className:"bookchat-header",children:[d("h2",{id:u,className:"bookchat-title",children:t}),d("button",{type:"button",className:"bookchat-iconbutton",onClick:r,disabled:!s.messages.length,title:"Clear the conversation",children:"Clear"}),d("button",{type:"button",className:"bookchat-iconbutton bookchat-close",onClick:o,"aria-label":"Close the chat (Esc)",title:"Close (Esc)",children:"×"})]}),d(bn,{messages:s.messages,open:n,InternalLink:c,onNavigate:l,onRetry:s.retry,onRate:s.rate,busy:s.busy}),d(rn,{...i,busy:s.busy,onAsk:s.ask,onStop:s.stop})]})}var fo="(max-width: 600px)";function vn(e){let{backend:t,apiKey:n,title:o="Ask the book",sendPage:r=!0,colorMode:s,pathname:i,locale:c,InternalLink:l}=e,u=Q(()=>({backend:t,apiKey:n}),[t,n]),f=`bookchat:v1:${t||"same-origin"}`,h=M(null),a=M(null),p=M(null),b=Z(),C=P(()=>Ot(typeof document>"u"?void 0:document,c),[c]),y=Gt({config:u,storageKey:f,sendPage:r,pathname:i,docsContext:C}),[k,_]=Qt(f,p,a);tn(k,_,h);let v=Yt(h),x=Jt(a,!k,i),[g,T]=Zt(h),[D,$]=A(null),N=()=>{g&&($(g.text),T(),_(!0),window.setTimeout(()=>p.current?.focus(),0))},R=()=>{y.clear(),p.current?.focus()},L=()=>{window.matchMedia?.(fo).matches&&_(!1)};return d("div",{ref:h,className:"bookchat-root","data-theme":s,"data-bookchat":"","data-behind":v?"":void 0,style:{"--bookchat-lift":`${x}px`},children:[g&&!y.busy?d(on,{hint:g,onAsk:N}):null,k?null:d(nn,{buttonRef:a,title:o,panelId:b,onOpen:()=>_(!0)}),d(gn,{id:b,title:o,open:k,onClose:()=>_(!1),onClear:R,chat:y,composer:{inputRef:p,attached:D,onDetach:()=>$(null)},InternalLink:l,onNavigate:L}),d("div",{className:"bookchat-sr-only","aria-live":"polite","aria-atomic":"true",role:"status",children:y.announcement})]})}function po(e){let t=Lt(),[n,o]=A(window.location.pathname);return S(()=>{let r=()=>o(window.location.pathname);return window.addEventListener("popstate",r),()=>window.removeEventListener("popstate",r)},[]),d(vn,{...e,colorMode:t,pathname:n})}function _o(e){let t=e?.dataset??{},n={backend:(t.backend??"").trim().replace(/\/+$/,"")};return t.apiKey&&(n.apiKey=t.apiKey),t.title&&(n.title=t.title),t.sendPage==="false"&&(n.sendPage=!1),n}var ho=document.currentScript;function yn(){if(document.querySelector("[data-bookchat-host]"))return;let e=document.createElement("style");e.setAttribute("data-bookchat-style",""),e.textContent=Mt,document.head.appendChild(e);let t=document.createElement("div");t.setAttribute("data-bookchat-host",""),document.body.appendChild(t),Tt(t).render(d(po,{..._o(ho)}))}document.readyState==="loading"?document.addEventListener("DOMContentLoaded",yn):yn();})();
